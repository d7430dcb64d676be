import pytest
from django.core.exceptions import ValidationError

from qms.models import Signature
from qms.signatures import canonical_text, signature_matches, signature_sign, signatures_for
from tests.conftest import PASSWORD
from tests.leadership.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


def test_signature_records_who_when_meaning_and_hash(ceo):
    record = DepartmentFactory()
    content = canonical_text({"name": record.name, "code": record.code})

    signature = signature_sign(
        actor=ceo, record=record, meaning="approved", password=PASSWORD, content=content, statement="I approve."
    )

    assert signature.signer == ceo
    assert signature.signer_name == ceo.get_full_name()
    assert signature.signer_title == "Managing Director"
    assert len(signature.content_sha256) == 64
    assert list(signatures_for(record)) == [signature]
    assert signature_matches(signature, content)
    assert not signature_matches(signature, canonical_text({"name": "changed", "code": record.code}))


def test_wrong_password_signs_nothing(ceo):
    record = DepartmentFactory()

    with pytest.raises(ValidationError) as exc:
        signature_sign(actor=ceo, record=record, meaning="approved", password="guess", content="x", statement="s")

    assert exc.value.message_dict["password"] == ["The password is not correct. Nothing was signed."]
    assert not Signature.objects.exists()


def test_canonical_text_does_not_depend_on_key_order():
    assert canonical_text({"a": 1, "b": "é"}) == canonical_text({"b": "é", "a": 1})
