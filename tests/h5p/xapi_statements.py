"""xAPI statements shaped like the ones H5P core sends (H5P.XAPIEvent), for the endpoint tests."""

import json
import uuid

ADL = "http://adlnet.gov/expapi/verbs/"
CONSUMED = "http://activitystrea.ms/schema/1.0/consume"


def activity_iri(item) -> str:
    return f"http://testserver/h5p/{item.pk}/"


def statement(
    user,
    item,
    verb: str = "answered",
    *,
    sub: str | None = None,
    score: tuple[float, float] | None = (1, 1),
    success: bool | None = True,
    completion: bool | None = True,
    statement_id=None,
    verb_iri: str | None = None,
) -> dict:
    iri = activity_iri(item)
    data = {
        "id": str(statement_id or uuid.uuid4()),
        "actor": {"name": "Peserta", "mbox": f"mailto:user-{user.pk}@lms.invalid", "objectType": "Agent"},
        "verb": {"id": verb_iri or ADL + verb, "display": {"en-US": verb}},
        "object": {
            "id": iri + (f"?subContentId={sub}" if sub else ""),
            "objectType": "Activity",
            "definition": {"extensions": {"http://h5p.org/x-api/h5p-local-content-id": str(item.pk)}},
        },
        "context": {"contextActivities": {"category": [{"id": "http://h5p.org/libraries/H5P.KuisSingkat-1.0"}]}},
    }
    if sub:
        data["context"]["contextActivities"]["parent"] = [{"id": iri, "objectType": "Activity"}]
    result = {}
    if score is not None:
        raw, maximum = score
        result["score"] = {"min": 0, "max": maximum, "raw": raw}
        if maximum:
            result["score"]["scaled"] = round(raw / maximum, 4)
    if completion is not None:
        result["completion"] = completion
    if success is not None:
        result["success"] = success
    if result:
        data["result"] = result
    return data


def post(client, item, data, **extra):
    body = data if isinstance(data, bytes | str) else json.dumps(data)
    return client.post(f"/h5p/{item.pk}/xapi/", body, content_type="application/json", **extra)
