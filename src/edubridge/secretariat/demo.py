"""Demo secretariat: members in six countries with keys, a plenary with decisions and actions,
a published joint release and one awaiting signatures.

Demo members are "hosted": this node keeps their private Ed25519 keys in the data folder
(NODE["KEY_DIR"]/members/) and signs on their behalf, and each signature record says so. Real
members keep their keys and upload signatures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.utils import timezone

from edubridge.accounts.models import Organization, User
from edubridge.secretariat import services
from edubridge.secretariat.models import (
    Access,
    Agreement,
    Bulletin,
    DecisionMethod,
    Document,
    Event,
    Meeting,
    MeetingSeries,
    Member,
    MembershipApplication,
    PolicyTopic,
    Recurrence,
    Release,
    Standard,
    Ticket,
)

STEPS = 3
APPLICANT = "Bureau of Basic Education, Lanshan Province"
PUBLISHED_RELEASE = "Joint statement on AI in assessment (demo)"
AWAITING_RELEASE = "Report on data-privacy rules across members (demo)"
PAST_MEETING = "Plenary 2026 Q2 (demo)"
NEXT_MEETING = "Plenary 2026 Q4 (demo)"
SERIES = [
    ("Quarterly plenary", Recurrence.QUARTERLY, "All members; decisions and joint releases."),
    ("Working group on standards", Recurrence.MONTHLY, "QTI, CASE and crosswalk adoption."),
    ("Working group on data privacy", Recurrence.MONTHLY, "Rules for sharing learning data."),
    ("Working group on teacher training", Recurrence.QUARTERLY, "Seed-teacher cascades."),
]
STATEMENT_V1 = """Members of the EduBridge network agree that AI used in assessment must be explained to learners and teachers.
Every automated score can be reviewed by a person.
Members publish the data each model was trained on."""
STATEMENT_V2 = """Members of the EduBridge network agree that AI used in assessment must be explained to learners and teachers.
Every automated score can be reviewed by a person, on request and free of charge.
Members publish a description of the data each model was trained on.
Members review these commitments every year at the plenary."""
PRIVACY_REPORT = """This report compares the data-privacy rules that apply to learning records in each member country.
Members agree to share only aggregate statistics that meet k-anonymity with k of at least 10."""


def _members(secretariat: User | None) -> dict[str, Member]:
    today = timezone.now().date()
    for k, org in enumerate(Organization.objects.exclude(name=APPLICANT).order_by("name")):
        if not Member.objects.filter(organization=org).exists():
            services.member_admit(
                organization=org,
                by=secretariat,
                joined_on=today - dt.timedelta(days=400 - 30 * k),
                contact_name=f"Liaison office, {org.name}",
                contact_email=f"liaison{k + 1}@members.example.org",
                node_descriptor_url=f"https://node{k + 1}.members.example.org/.well-known/edubridge",
                hosted=True,
            )
    applicant = Organization.objects.filter(name=APPLICANT).first()
    if applicant and not MembershipApplication.objects.filter(organization=applicant).exists():
        services.application_submit(
            organization=applicant,
            by=None,
            contact_name="Membership desk",
            contact_email="membership@lanshan.example.org",
            motivation="We run 1,200 schools and want to share localized mathematics resources.",
        )
    return {
        m.organization.name: m
        for m in Member.objects.select_related("organization").order_by("organization__name")
    }


def _rotate_and_revoke(member: Member, secretariat: User | None) -> None:
    """Show key history in the demo: one member rotated its key and revoked the old one."""
    if member.keys.count() > 1:
        return
    old = member.keys.get()
    services.member_key_rotate_hosted(member=member, by=secretariat)
    services.member_key_revoke(key=old, by=secretariat, reason="laptop lost (demo)")


def _meetings(members: dict[str, Member], secretariat: User | None) -> None:
    series = {}
    for name, recurrence, description in SERIES:
        series[name], _created = MeetingSeries.objects.get_or_create(
            name=name, defaults={"recurrence": recurrence, "description": description}
        )
    series["Working group on data privacy"].participants.set(list(members.values())[:4])
    if Meeting.objects.filter(title=PAST_MEETING).exists():
        return
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    past = services.meeting_schedule(
        title=PAST_MEETING,
        series=series["Quarterly plenary"],
        starts_at=now - dt.timedelta(days=60),
        ends_at=now - dt.timedelta(days=60) + dt.timedelta(hours=3),
        time_zone="Asia/Jakarta",
        room="Jakarta Hall A",
        online_url="https://meet.example.org/plenary",
        by=secretariat,
    )
    names = list(members)
    for k, name in enumerate(names):
        if k < 3:
            topic = ["Joint statement on AI in assessment", "Standards-adoption survey"][k % 2]
            services.agenda_item_propose(
                meeting=past,
                member=members[name],
                title=f"{topic} ({members[name].organization.country})",
            )
        services.attendance_record(
            meeting=past, member=members[name], mode="in_person" if k % 2 else "online"
        )
    consensus = services.decision_record(
        meeting=past,
        text="Adopt the joint statement on AI in assessment for signature.",
        method=DecisionMethod.CONSENSUS,
        by=secretariat,
    )
    services.decision_record(
        meeting=past,
        text="Hold the 2027 flagship forum alongside the regional education conference.",
        method=DecisionMethod.VOTE,
        votes={
            str(members[n].pk): ("against" if k == 1 else "abstain" if k == 2 else "for")
            for k, n in enumerate(names)
        },
        by=secretariat,
    )
    today = now.date()
    for k, (title, due) in enumerate(
        [
            (
                "Circulate the statement to every member's legal office",
                today - dt.timedelta(days=10),
            ),
            ("Collect standards-adoption answers", today + dt.timedelta(days=5)),
            ("Draft the data-privacy comparison report", today + dt.timedelta(days=40)),
            ("Book the forum venue", today - dt.timedelta(days=3)),
        ]
    ):
        action = services.action_add(
            meeting=past,
            title=title,
            owner=members[names[k % len(names)]],
            due_on=due,
            decision=consensus if k == 0 else None,
            by=secretariat,
        )
        if k == 0:
            services.action_set_status(action=action, status="done", by=secretariat)
    services.minutes_save(
        meeting=past,
        text="The plenary adopted the AI-in-assessment statement for signature and voted on the "
        "2027 forum. Actions are listed below.",
        approve=True,
        by=secretariat,
    )
    upcoming = now + dt.timedelta(days=30)
    services.meeting_schedule(
        title=NEXT_MEETING,
        series=series["Quarterly plenary"],
        starts_at=upcoming,
        ends_at=upcoming + dt.timedelta(hours=3),
        time_zone="Africa/Cairo",
        room="Cairo Conference Room 2",
        online_url="https://meet.example.org/plenary",
        by=secretariat,
    )


def _releases(members: dict[str, Member], secretariat: User | None) -> None:
    if Release.objects.filter(title=PUBLISHED_RELEASE).exists():
        return
    names = list(members)
    signers = [members[n] for n in names[:5]]
    release = services.release_create(
        title=PUBLISHED_RELEASE,
        text=STATEMENT_V1,
        signer_ids=[m.pk for m in signers],
        threshold=3,
        by=secretariat,
    )
    services.release_version_add(
        release=release, text=STATEMENT_V2, note="review on request; annual review", by=secretariat
    )
    services.release_open_for_signatures(release=release, by=secretariat)
    for member in signers[:3]:
        services.release_sign_on_behalf(release=release, member=member, by=secretariat)
    awaiting = services.release_create(
        title=AWAITING_RELEASE,
        text=PRIVACY_REPORT,
        signer_ids=[members[n].pk for n in names[3:7]],
        threshold=3,
        by=secretariat,
    )
    services.release_open_for_signatures(release=awaiting, by=secretariat)
    services.release_sign_on_behalf(release=awaiting, member=members[names[3]], by=secretariat)


BULLETINS = [
    (
        "The network welcomes three new members (demo)",
        Access.PUBLIC,
        None,
        "Universities and training centres in three countries joined the network this quarter.",
    ),
    (
        "Plenary papers are online (demo)",
        Access.MEMBERS,
        None,
        "Members find the draft statement and the standards survey in the document library.",
    ),
    (
        "Draft privacy comparison for the working group (demo)",
        Access.GROUP,
        "Working group on data privacy",
        "Please check your country's column before the next call.",
    ),
]


def _bulletins(secretariat: User | None) -> None:
    for title, access, group, body in BULLETINS:
        if not Bulletin.objects.filter(title=title).exists():
            services.bulletin_publish(
                title=title,
                body=body,
                access=access,
                group=MeetingSeries.objects.get(name=group) if group else None,
                by=secretariat,
            )


def _tickets(secretariat: User | None) -> None:
    if Ticket.objects.filter(title__endswith="(demo)").exists():
        return
    teacher = User.objects.filter(username="teacher").first()
    publisher = User.objects.filter(username="publisher").first()
    now = timezone.now()
    if teacher is not None:
        services.ticket_open(
            title="Imported QTI package shows no images (demo)",
            description="The Grade 7 fractions package imports, but every figure is missing.",
            topic="catalogue import",
            by=teacher,
            now=now - dt.timedelta(days=3),
        )
    if publisher is not None and secretariat is not None:
        answered = services.ticket_open(
            title="How do we rotate our node key? (demo)",
            description="Our security office asks for yearly key rotation.",
            topic="deployment",
            priority="low",
            by=publisher,
            now=now - dt.timedelta(days=6),
        )
        services.ticket_move(ticket=answered, status="assigned", by=secretariat)
        services.ticket_move(
            ticket=answered,
            status="resolved",
            by=secretariat,
            resolution="Register the new key on your member page; the old one is retired.",
        )
        services.knowledge_article_from_ticket(ticket=answered, by=secretariat)


FORUM = "EduBridge Forum at the Regional Education Conference (demo)"


def _events(secretariat: User | None) -> None:
    if Event.objects.filter(title=FORUM).exists():
        return
    start = (timezone.now() + dt.timedelta(days=45)).replace(
        hour=1, minute=0, second=0, microsecond=0
    )
    event = services.event_create(
        title=FORUM,
        kind="forum",
        venue="Convention Centre, Addis Ababa",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=8),
        time_zone="Africa/Addis_Ababa",
        capacity=3,
        by=secretariat,
    )
    for k, (title, speakers, room) in enumerate(
        [
            ("AI in assessment: what members agreed", "Secretariat; Delta Institute", "Hall 1"),
            (
                "Seed-teacher cascades across borders",
                "Abay Regional Teacher Training Centre",
                "Hall 2",
            ),
            ("Youth exchange stories", "Exchange alumni", "Hall 1"),
        ]
    ):
        services.session_add(
            event=event,
            title=title,
            speakers=speakers,
            room=room,
            starts_at=start + dt.timedelta(hours=2 * k),
            ends_at=start + dt.timedelta(hours=2 * k + 1, minutes=30),
        )
    for username in ("teacher", "trainer", "localizer", "publisher"):
        person = User.objects.filter(username=username).first()
        if person is not None:
            services.event_register(event=event, person=person)


TOPICS = [
    ("Data privacy", "How learning records may be kept, shared and exported."),
    ("Algorithmic bias", "How members check AI systems for unequal outcomes."),
    ("AI in assessment", "Where automated scoring is allowed and how it is reviewed."),
]
STANDARDS = [
    ("QTI 3", "standard"),
    ("CASE 1.1", "standard"),
    ("xAPI", "standard"),
    ("LTI 1.3", "standard"),
    ("Common Cartridge", "standard"),
    ("AI competency framework for teachers", "framework"),
]
ADOPTION_CYCLE = ["adopted", "piloting", "planned", "adopted", "not_used"]


def _policy_and_standards(members: dict[str, Member], secretariat: User | None) -> None:
    if PolicyTopic.objects.exists():
        return
    topics = [PolicyTopic.objects.create(name=n, description=d) for n, d in TOPICS]
    for k, member in enumerate(list(members.values())[:6]):
        services.policy_position_record(
            topic=topics[0],
            member=member,
            rules=[
                "Learning records stay in the country; exports need the data steward's approval.",
                "Consent of a parent for learners under 14; pseudonyms in every export.",
                "Aggregate statistics only, with at least 10 learners per cell.",
            ][k % 3]
            + " (demo entry)",
            position=["Supports a shared export policy.", "Prefers bilateral agreements."][k % 2],
            by=secretariat,
        )
        services.policy_position_record(
            topic=topics[2],
            member=member,
            rules=[
                "Automated scores are advisory only.",
                "High-stakes tests are scored by people.",
            ][k % 2]
            + " (demo entry)",
            by=secretariat,
        )
    standards = [Standard.objects.create(name=n, kind=kind) for n, kind in STANDARDS]
    for i, member in enumerate(members.values()):
        for j, standard in enumerate(standards):
            services.standard_adoption_set(
                member=member, standard=standard, status=ADOPTION_CYCLE[(i + 2 * j) % 5]
            )


def _agreements(secretariat: User | None) -> None:
    if Agreement.objects.exists():
        return
    orgs = {o.name: o for o in Organization.objects.all()}
    today = timezone.now().date()
    pairs = [
        (
            "mou",
            "Joint research on multilingual mathematics items (demo)",
            "joint research",
            ["Xinhe Normal University", "Delta Institute of Educational Research"],
            today - dt.timedelta(days=700),
            today + dt.timedelta(days=60),
        ),
        (
            "recognition",
            "Mutual recognition of seed-teacher credentials (demo)",
            "teacher credentials",
            [
                "Abay Regional Teacher Training Centre",
                "Teacher Academy of Sumber Ilmu",
                "Xinhe Normal University",
            ],
            today - dt.timedelta(days=200),
            today + dt.timedelta(days=500),
        ),
    ]
    for kind, title, subject, names, start, renew in pairs:
        parties = [orgs[n].pk for n in names if n in orgs]
        if len(parties) >= 2:
            agreement = services.agreement_record(
                kind=kind,
                title=title,
                subject=subject,
                party_ids=parties,
                starts_on=start,
                renews_on=renew,
                by=secretariat,
            )
            if kind == "mou":
                project = services.project_create(
                    title="Multilingual mathematics item bank (demo)",
                    description="Translate and calibrate 400 items in Chinese and Arabic.",
                    institution_ids=parties,
                    agreement=agreement,
                    by=secretariat,
                )
                for k, step in enumerate(["Item selection", "Translation", "Calibration study"]):
                    milestone = services.milestone_add(
                        project=project, title=step, due_on=start + dt.timedelta(days=200 * (k + 1))
                    )
                    if k == 0:
                        services.milestone_reach(
                            milestone=milestone,
                            output_url="https://example.org/item-selection-report",
                            today=start + dt.timedelta(days=190),
                        )


def _documents(secretariat: User | None) -> None:
    if Document.objects.filter(title__endswith="(demo)").exists():
        return
    plenary = Meeting.objects.filter(title=PAST_MEETING).first()
    for title, access, name, text in [
        ("Plenary background paper (demo)", Access.MEMBERS, "background.txt", STATEMENT_V2),
        ("Network charter (demo)", Access.PUBLIC, "charter.txt", "Members cooperate openly."),
    ]:
        services.document_upload(
            title=title,
            upload=ContentFile(text.encode("utf-8"), name=name),
            access=access,
            meeting=plenary if access == Access.MEMBERS else None,
            by=secretariat,
        )


def load(advance: Callable[[str], None]) -> list[tuple[str, str, str]]:
    secretariat = User.objects.filter(username="secretariat").first()
    members = _members(secretariat)
    delta = next((m for n, m in members.items() if n.startswith("Delta")), None)
    if delta is not None:
        _rotate_and_revoke(delta, secretariat)
    advance("member registry")
    _meetings(members, secretariat)
    _bulletins(secretariat)
    _documents(secretariat)
    _tickets(secretariat)
    _events(secretariat)
    _policy_and_standards(members, secretariat)
    _agreements(secretariat)
    advance("meetings and bulletins")
    _releases(members, secretariat)
    advance("joint releases")
    return []
