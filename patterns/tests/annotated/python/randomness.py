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


# Session 8: the value is named for a secret wherever it is assigned (CWE-338 demonstrative
# examples; OWASP Cryptographic Storage Cheat Sheet, "Secure Random Number Generation";
# https://docs.python.org/3/library/random.html: "should not be used for security purposes").
class Signup:
    def start(self, user, mailer):
        user.reset_token = "%x" % random.getrandbits(64)  # codetable: expect security.randomness.insecure-token
        code = {"otp": random.randint(0, 999999)}  # codetable: expect security.randomness.insecure-token
        mailer.send(user, verification_code=random.randrange(10**6))  # codetable: expect security.randomness.insecure-token
        session = {}
        session["csrf_token"] = str(random.random())  # codetable: expect security.randomness.insecure-token
        salt = random.randbytes(16)  # codetable: expect security.randomness.insecure-token
        rng = random.Random()
        api_key = "".join(rng.choice(string.hexdigits) for _ in range(32))  # codetable: expect security.randomness.insecure-token
        return code, salt, api_key

    def fixed(self, user):
        user.reset_token = secrets.token_hex(16)  # codetable: ok security.randomness.insecure-token
        salt = os_urandom(16)  # codetable: ok security.randomness.insecure-token
        return salt

    def layout_choices(self, vocab):
        password_length = random.randint(12, 20)  # codetable: ok security.randomness.insecure-token
        tokens = random.sample(vocab, 5)  # codetable: ok security.randomness.insecure-token
        token_count = random.randint(1, 5)  # codetable: ok security.randomness.insecure-token
        retry_delay = random.uniform(0.5, 2.0)  # codetable: ok security.randomness.insecure-token
        return password_length, tokens, token_count, retry_delay


def os_urandom(n):
    return secrets.token_bytes(n)
