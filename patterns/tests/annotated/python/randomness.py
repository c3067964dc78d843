# Weak randomness for secrets (CWE-330, CWE-338), after https://cwe.mitre.org/data/definitions/338.html,
# https://docs.python.org/3/library/random.html (warning) and https://docs.python.org/3/library/secrets.html
import random
import secrets
import string
import uuid


def make_token():
    return "".join(random.choice(string.ascii_letters) for _ in range(32))  # codetable: expect security.randomness.insecure-token


def reset_code():
    return random.randint(100000, 999999)  # codetable: expect security.randomness.insecure-token


def session_id():
    return "%032x" % random.getrandbits(128)  # codetable: expect security.randomness.insecure-token


def api_key():
    return "".join(random.choices(string.hexdigits, k=40))  # codetable: expect security.randomness.insecure-token


def new_password(length=12):
    return "".join(random.sample(string.ascii_letters + string.digits, length))  # codetable: expect security.randomness.insecure-token


def nonce_bytes():
    return random.randbytes(16)  # codetable: expect security.randomness.insecure-token


def create_user(db, email):
    password = "".join(random.choice(string.printable) for _ in range(16))  # codetable: expect security.randomness.insecure-token
    db.insert(email, password)


def otp_for(user):
    user.otp = str(random.randrange(10**6))  # codetable: expect security.randomness.insecure-token


# Fixed forms and non-secret uses.
def fixed_token():
    return secrets.token_urlsafe(32)  # codetable: ok security.randomness.insecure-token


def fixed_code():
    return secrets.randbelow(10**6)  # codetable: ok security.randomness.insecure-token


def fixed_system_random():
    return random.SystemRandom().choice(string.ascii_letters)  # codetable: ok security.randomness.insecure-token


def shuffle_deck(cards):
    random.shuffle(cards)  # codetable: ok security.randomness.insecure-token


def jitter(base):
    return base * (1 + random.random() / 10)  # codetable: ok security.randomness.insecure-token


def request_id():
    return uuid.uuid4().hex  # codetable: ok security.randomness.insecure-token


def sample_rows(rows):
    return random.sample(rows, 10)  # codetable: ok security.randomness.insecure-token


def fixed_hex():
    return secrets.token_hex(16)  # codetable: ok security.randomness.insecure-token
