"""Write a node-issued credential, tampered copies, a revoked one and the status list to a folder.

Run inside the node's environment (EDUBRIDGE_DATA_DIR of a node that has loaded `edubridge demo`).
"""

from __future__ import annotations

import copy
import json
import os
import sys
from pathlib import Path

import django


def main(folder: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "edubridge.core.settings")
    django.setup()
    from edubridge.accounts.models import User
    from edubridge.engines.credentials.proof import add_proof
    from edubridge.training import services
    from edubridge.training.models import IssuedCredential
    from edubridge.training.signing import (
        DID_WEB,
        context_loader,
        node_did_document,
        node_issuer,
        status_list_url,
    )

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    active = IssuedCredential.objects.filter(revoked_at__isnull=True).order_by("issued_at")
    if active.count() < 2:
        raise SystemExit("need two issued credentials: run `edubridge demo` first")
    good, to_revoke = active[0], active[1]
    services.credential_revoke(
        by=User.objects.get(username="trainer"), credential=to_revoke, reason="bench: revoked copy"
    )
    document = good.document
    tampered_name = copy.deepcopy(document)
    tampered_name["credentialSubject"]["identifier"][0]["identityHash"] = "Mallory Forger"
    tampered_date = copy.deepcopy(document)
    tampered_date["validFrom"] = "2020-01-01T00:00:00Z"
    tampered_achievement = copy.deepcopy(document)
    tampered_achievement["credentialSubject"]["achievement"]["name"] = "Doctorate in Everything"
    # The same credential issued as the node's did:web (what EDUBRIDGE_CREDENTIAL_ISSUER=did:web
    # issues), with its DID document and the status list that did:web signs.
    web = node_issuer(DID_WEB)
    unsigned = copy.deepcopy(document)
    del unsigned["proof"]
    unsigned["issuer"]["id"] = web.did
    status = unsigned["credentialStatus"]
    status["statusListCredential"] = status_list_url(DID_WEB)
    status["id"] = f"{status_list_url(DID_WEB)}#{status['statusListIndex']}"
    web_document = add_proof(
        unsigned,
        sign=web.sign,
        verification_method=web.verification_method,
        created=document["proof"]["created"],
        loader=context_loader(),
    )
    web_tampered = copy.deepcopy(web_document)
    web_tampered["credentialSubject"]["achievement"]["name"] = "Doctorate in Everything"
    files = {
        "1-valid.json": document,
        "2-tampered-name.json": tampered_name,
        "3-tampered-date.json": tampered_date,
        "4-tampered-achievement.json": tampered_achievement,
        "5-revoked.json": to_revoke.document,
        "6-did-web.json": web_document,
        "7-did-web-tampered.json": web_tampered,
        "status-list.json": services.status_list_document(method="did:key"),
        "status-list-web.json": services.status_list_document(method=DID_WEB),
        "did.json": node_did_document(),
    }
    for name, value in files.items():
        (out / name).write_text(json.dumps(value, indent=2, ensure_ascii=False), encoding="utf-8")
    # Leave the node as it was.
    IssuedCredential.objects.filter(pk=to_revoke.pk).update(revoked_at=None, revoked_reason="")


if __name__ == "__main__":
    main(sys.argv[1])
