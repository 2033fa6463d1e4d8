"""ID numbers encrypted at rest (GB/T 22239-2019 8.1.4.8 数据保密性; PIPL art. 51): the database
holds AES-GCM ciphertext, the application reads plaintext, uniqueness and exact search go
through a keyed hash, and the migration converts rows written before it."""

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import IntegrityError

from app.security.crypto import blind_index, decrypt
from models import Individual, Reviewer
from tests import factories as f


def _stored(db, table, row_id):
    return db.session.execute(
        text(f"SELECT id_number, id_number_hash FROM {table} WHERE id = :id"), {"id": row_id}
    ).one()


def test_the_database_holds_id_numbers_encrypted_and_the_app_reads_them_plain(app, db):
    number = f.id_number("19800101")
    person = f.individual(db.session, id_number=number)
    db.session.commit()
    stored, hashed = _stored(db, "individual", person.id)
    assert number not in stored and stored.startswith("v1:")
    assert decrypt(stored, app.config["PII_KEY"]) == number
    assert hashed == blind_index(number, app.config["PII_KEY"])
    db.session.expire_all()
    assert db.session.get(Individual, person.id).id_number == number


def test_the_same_id_number_twice_is_refused_through_its_keyed_hash(app, db):
    number = f.id_number("19800101")
    f.individual(db.session, id_number=number)
    db.session.commit()
    with pytest.raises(IntegrityError):
        f.individual(db.session, id_number=number)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Individual)) == 1


def test_a_duplicate_id_number_on_the_screen_names_the_field(app, db, browser):
    number = f.id_number("19800101")
    f.individual(db.session, id_number=number)
    f.user(app, "office", "Office")
    db.session.commit()
    b = browser("office")
    resp = b.post(
        "/individualview/add",
        data={"name": "重复人员", "id_number": number, "education": "bachelor"},
        token_from="/individualview/add",
        follow_redirects=True,
    )
    assert "居民身份证号码已存在" in resp.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Individual)) == 1


def test_the_office_finds_a_person_by_the_exact_id_number(app, db, browser, api):
    wanted = f.individual(db.session, id_number=f.id_number("19800101"))
    f.individual(db.session, id_number=f.id_number("19900202"))
    f.user(app, "office", "Office")
    db.session.commit()
    resp = api("office").get(
        f"/api/v1/individual/?q=(filters:!((col:id_number,opr:eq,value:'{wanted.id_number}')))"
    )
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert resp.json["ids"] == [wanted.id]
    assert "id_number_hash" not in resp.json["result"][0]
    page = browser("office").get(f"/individualview/list/?_flt_0_id_number={wanted.id_number}")
    text_ = page.get_data(as_text=True)
    assert wanted.name in text_ and "测试人员" in text_
    assert text_.count("/individualview/show/") == 1


def test_a_reviewer_id_number_is_encrypted_too(app, db):
    number = f.id_number("19700303")
    reviewer = Reviewer(code="R-900", name="加密评审员", id_number=number)
    db.session.add(reviewer)
    db.session.commit()
    stored, hashed = _stored(db, "reviewer", reviewer.id)
    assert number not in stored and hashed == blind_index(number, app.config["PII_KEY"])


def test_production_refuses_a_missing_or_short_pii_key(database_url):
    from app import create_app
    from app.security.crypto import PiiKeyError

    with pytest.raises(PiiKeyError, match="PII_KEY"):
        create_app(
            "production",
            SECRET_KEY="s" * 40,
            AUDIT_KEY="a" * 40,
            PII_KEY="short",
            SQLALCHEMY_DATABASE_URI=database_url,
        )


def test_the_migration_encrypts_the_id_numbers_already_stored(empty_database_url):
    from flask_migrate import downgrade, upgrade

    from app import create_app
    from app.extensions import db

    number = f.id_number("19800101")
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database_url)
    with app.app_context():
        upgrade(revision="7fa3d9271468")
        engine = create_engine(empty_database_url)
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO individual (id, name, id_number, works_in_yining, education,"
                    " version, created_at, updated_at) VALUES (1, '张三', :n, true, 'bachelor',"
                    " 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                ),
                {"n": number},
            )
        upgrade()
        with engine.connect() as conn:
            stored, hashed = conn.execute(
                text("SELECT id_number, id_number_hash FROM individual")
            ).one()
        assert stored.startswith("v1:") and number not in stored
        assert hashed == blind_index(number, app.config["PII_KEY"])
        assert db.session.get(Individual, 1).id_number == number
        db.session.remove()
        downgrade(revision="7fa3d9271468")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT id_number FROM individual")).scalar() == number
        engine.dispose()
        db.engine.dispose()


def test_each_value_is_sealed_with_a_fresh_nonce_and_tampering_is_detected():
    from app.security.crypto import PiiKeyError, encrypt

    key = "k" * 32
    first, second = encrypt("11010519491231002X", key), encrypt("11010519491231002X", key)
    assert first != second
    assert decrypt(first, key) == "11010519491231002X"
    with pytest.raises(PiiKeyError):
        decrypt(first, "another-key-of-thirty-two-bytes!")
    tampered = first[:-2] + ("A" if first[-2] != "A" else "B") + first[-1]
    with pytest.raises(PiiKeyError):
        decrypt(tampered, key)
