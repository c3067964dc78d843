# Hard-coded credentials (CWE-798, CWE-259), after https://cwe.mitre.org/data/definitions/798.html and
# https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html
import os
import psycopg2
import boto3

PASSWORD = "s3cr3t-Passw0rd!"  # codetable: expect security.secrets.hardcoded-credential
API_KEY = "AKfq83hd72hf82hf9h2f3"  # codetable: expect security.secrets.hardcoded-credential
db_password = "hunter2hunter2"  # codetable: expect security.secrets.hardcoded-credential


def connect():
    return psycopg2.connect(host="db", user="app", password="Pr0d-Passw0rd")  # codetable: expect security.secrets.hardcoded-credential


def s3():
    return boto3.client("s3", aws_access_key_id="AKIAIOSFODNN7EXAMPLE", aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")  # codetable: expect security.secrets.hardcoded-credential


class Settings:
    secret_key = "django-insecure-0a9s8d7f6g5h4j3k2l1"  # codetable: expect security.secrets.hardcoded-credential


def login(client):
    client.login(username="admin", password="admin123")  # codetable: expect security.secrets.hardcoded-credential


def check(pw):
    return pw == "letmein-2024"  # codetable: expect security.secrets.hardcoded-credential


# Fixed forms and look-alikes.
PASSWORD_ENV = os.environ["DB_PASSWORD"]  # codetable: ok security.secrets.hardcoded-credential
password = os.getenv("APP_PASSWORD")  # codetable: ok security.secrets.hardcoded-credential
PASSWORD_FIELD = "password"  # codetable: ok security.secrets.hardcoded-credential
password_prompt = "Enter your password: "  # codetable: ok security.secrets.hardcoded-credential
token = ""  # codetable: ok security.secrets.hardcoded-credential


def connect_env():
    return psycopg2.connect(host="db", user="app", password=os.environ["PGPASSWORD"])  # codetable: ok security.secrets.hardcoded-credential


def connect_vault(hvac):
    return hvac.Client(url="https://vault:8200", token=os.environ["VAULT_TOKEN"])  # codetable: ok security.secrets.hardcoded-credential


def placeholder_docs():
    return {"password": "<your-password>"}  # codetable: ok security.secrets.hardcoded-credential


def empty_default(password=None):  # codetable: ok security.secrets.hardcoded-credential
    return password


def default_argument(user, password="changeme123"):  # codetable: expect security.secrets.hardcoded-credential
    return user, password


# Session 8: credentials where a reviewer finds them (CWE-798 and CWE-259 demonstrative examples;
# OWASP Secrets Management Cheat Sheet; Bandit B105/B106/B107: string compared with or passed as a
# password; SQLAlchemy engine URLs https://docs.sqlalchemy.org/en/20/core/engines.html).
import jwt
import redis
import sqlalchemy

SIGNING_KEY = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7bq9\n-----END RSA PRIVATE KEY-----"  # codetable: expect security.secrets.hardcoded-credential
PUBLIC_PEM = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A\n-----END PUBLIC KEY-----"  # codetable: ok security.secrets.hardcoded-credential


def services(settings, user):
    engine = sqlalchemy.create_engine("postgresql://app:Pr0d-Passw0rd@db/app")  # codetable: expect security.secrets.hardcoded-credential
    cache = redis.Redis(host="cache", password="r3dis-Pass!")  # codetable: expect security.secrets.hardcoded-credential
    settings["api_key"] = "AKfq83hd72hf82hf9h2f3"  # codetable: expect security.secrets.hardcoded-credential
    settings.smtp_password = "smtp-2024-pass"  # codetable: expect security.secrets.hardcoded-credential
    token = jwt.encode({"sub": user}, "my-signing-secret", algorithm="HS256")  # codetable: expect security.secrets.hardcoded-credential
    if user.password != "admin@123":  # codetable: expect security.secrets.hardcoded-credential
        return None
    return engine, cache, token


def services_fixed(settings, user):
    engine = sqlalchemy.create_engine(os.environ["DATABASE_URL"])  # codetable: ok security.secrets.hardcoded-credential
    docs_engine = sqlalchemy.create_engine("postgresql://user:password@localhost/db")  # codetable: ok security.secrets.hardcoded-credential
    cache = redis.Redis(host="cache", password=settings.redis_password)  # codetable: ok security.secrets.hardcoded-credential
    form = dict(password="password", username="username")  # codetable: ok security.secrets.hardcoded-credential
    settings["api_key"] = ""  # codetable: ok security.secrets.hardcoded-credential
    token = jwt.encode({"sub": user}, settings.jwt_secret, algorithm="HS256")  # codetable: ok security.secrets.hardcoded-credential
    if user.password == "":  # codetable: ok security.secrets.hardcoded-credential
        return None
    password_reset_url = "https://example.com/reset/1"  # codetable: ok security.secrets.hardcoded-credential
    return engine, docs_engine, cache, form, token, password_reset_url


# PEM armour lines alone hold no key: a parser's markers and a caller's key being stripped of
# them (RFC 7468 section 2: the key is the base64 text between the lines).
PEM_BEGIN = "-----BEGIN RSA PRIVATE KEY-----"  # codetable: ok security.secrets.hardcoded-credential


def strip_armour(key):
    return key.replace("-----BEGIN PRIVATE KEY-----", "").replace("\n", "")  # codetable: ok security.secrets.hardcoded-credential
