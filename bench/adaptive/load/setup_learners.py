"""Inside the node's environment: load the demo people, banks and class, make N learners
(learner role, no usable password), enrol them in the demo class and issue each an API key;
prints JSON {classroom, keys} for the load generator (run by run_load.py with the node's env)."""

from __future__ import annotations

import json
import sys

import django

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402

from edubridge.accounts.models import User  # noqa: E402
from edubridge.accounts.roles import Role  # noqa: E402
from edubridge.accounts.services import api_key_create, user_ensure  # noqa: E402
from edubridge.adaptive.demo import DEMO_CLASS  # noqa: E402
from edubridge.adaptive.models import Classroom, Pending  # noqa: E402
from edubridge.adaptive.services import practice_bank  # noqa: E402


def main(n: int) -> None:
    # only the parts of the demo network practice needs (people, the banks, the demo class)
    from edubridge.accounts import demo as accounts_demo
    from edubridge.adaptive import demo as adaptive_demo
    from edubridge.catalogue import demo as catalogue_demo

    for part in (accounts_demo, catalogue_demo, adaptive_demo):
        part.load(lambda _label: None)
    classroom = Classroom.objects.get(name=DEMO_CLASS)
    keys = []
    for i in range(n):
        user, _ = user_ensure(
            username=f"load-learner-{i:03d}",
            password="",
            password_hash=make_password(None),
            roles=[Role.LEARNER],
            organization=None,
        )
        classroom.learners.add(user)
        keys.append(api_key_create(owner=user, name="practice load test").plaintext)
    Pending.objects.filter(learner__username__startswith="load-learner-").delete()
    # the load generator answers right 70% of the time; the API does not reveal right answers
    bank = practice_bank(classroom.bank)
    answers = {
        str(pk): str(item.data["correct_response"]["values"][0]) for pk, item in bank.items.items()
    }
    print(
        json.dumps(
            {
                "classroom": classroom.pk,
                "keys": keys,
                "answers": answers,
                "users": User.objects.count(),
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]))
