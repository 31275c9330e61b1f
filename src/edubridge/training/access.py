"""Who may see and change what in teacher training: coordinators everything, seed teachers their cohorts."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from edubridge.accounts.roles import Permission
from edubridge.accounts.selectors import user_has_permission
from edubridge.training.models import Cohort, Enrolment, Evidence, IssuedCredential

AnyUser = AbstractBaseUser | AnonymousUser


def can_coordinate(user: AnyUser) -> bool:
    return user_has_permission(user, Permission.RUN_TRAINING)


def access_cohort(*, user: AnyUser, cohort_id: object) -> Cohort:
    """A cohort its lead (a coordinator or a seed teacher) or any coordinator may manage."""
    cohort = get_object_or_404(
        Cohort.objects.select_related("programme__framework", "centre", "lead"), pk=cohort_id
    )
    if not (can_coordinate(user) or cohort.lead_id == getattr(user, "pk", None)):
        raise PermissionDenied("Only coordinators and the cohort's trainer manage a cohort.")
    return cohort


def access_enrolment(*, user: AnyUser, enrolment_id: object) -> Enrolment:
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("cohort__programme", "cohort__lead", "teacher"),
        pk=enrolment_id,
    )
    access_cohort(user=user, cohort_id=enrolment.cohort_id)
    return enrolment


def access_credential(*, user: AnyUser, credential_id: object) -> IssuedCredential:
    """The holder, coordinators and (for a completion) the cohort's trainer may download it."""
    credential = get_object_or_404(
        IssuedCredential.objects.select_related("enrolment__cohort"), pk=credential_id
    )
    uid = getattr(user, "pk", None)
    allowed = {credential.holder_id}
    if credential.enrolment is not None:
        allowed |= {credential.enrolment.teacher_id, credential.enrolment.cohort.lead_id}
    if uid not in allowed and not can_coordinate(user):
        raise PermissionDenied("Only the holder and their trainers download a credential.")
    return credential


def access_own_enrolment(*, user: AnyUser, enrolment_id: object) -> Enrolment:
    """The teacher's own enrolment (taking a quiz)."""
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("cohort__programme", "teacher"), pk=enrolment_id
    )
    if enrolment.teacher_id != getattr(user, "pk", None):
        raise PermissionDenied("Only the enrolled teacher takes their quizzes.")
    return enrolment


def access_evidence(*, user: AnyUser, evidence_id: object) -> Evidence:
    """The teacher whose evidence it is, the cohort's trainer and coordinators may read it."""
    evidence = get_object_or_404(
        Evidence.objects.select_related(
            "enrolment__cohort__programme", "enrolment__teacher", "competency", "assessor", "quiz"
        ),
        pk=evidence_id,
    )
    if evidence.enrolment.teacher_id != getattr(user, "pk", None):
        access_cohort(user=user, cohort_id=evidence.enrolment.cohort_id)
    return evidence
