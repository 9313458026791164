"""The demo application ``portal serve`` adds: one submitted application in the channel team's queue."""

from __future__ import annotations


def test_the_demo_application_waits_in_the_queue_with_valid_answers(aws, catalog):
    from portal.application_questions import load_application_questions
    from portal.application_records import ApplicationRecords, ApplicationState
    from portal.application_steps import UserInformation
    from portal.store import Store

    from infra.local.demo import seed_demo
    from infra.local.demo_applications import DEMO_USER_INFORMATION, seed_demo_applications

    seed_demo(aws["table"])
    assert seed_demo_applications(aws["table"]) is True
    assert seed_demo_applications(aws["table"]) is False, "a second start adds nothing"
    queue = ApplicationRecords(Store(aws["table"])).in_state(ApplicationState.SUBMITTED)
    assert len(queue) == 1 and queue[0].slugs == ("wireless", "rugged-handhelds")
    UserInformation.model_validate(DEMO_USER_INFORMATION)  # what the form itself would accept
    questions = load_application_questions(None, catalog)
    for slug, answers in queue[0].product_answers.items():
        for question in questions[slug]:
            assert question.check(answers.get(question.id))[1] is None, (slug, question.id)
