"""``portal deploy``: put the portal into AWS with one command (docs/deploy.md).

* ``site_plan`` — what to upload to the site bucket (Content-Type, Cache-Control), what to keep,
  what to delete and what to invalidate; pure, so it is tested without AWS.
* ``releases`` — the record of the last releases kept in the bucket, so a new release does not
  delete the fingerprinted assets that pages still open in browsers refer to.
* ``bundle`` — the Lambda code: ``functions/``, ``content/data`` and the exact package versions
  the tests ran with, built for the functions' architecture.
* ``stack_template`` — the template ``sam deploy`` gets: ``infra/template.yaml`` with the bundle
  as code and the edge function's real code.
* ``stack`` — the stack's outputs and parameters; ``kvs`` — the edge function's key value store.
* ``publish`` — applies a site plan with boto3; ``command`` — the CLI and the dry run.
"""
