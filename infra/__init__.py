"""Infrastructure of the portal: the SAM template, the ``portal`` command line and the local stack."""
