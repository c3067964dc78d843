"""Order storage for the sample shop: caching, exports and a legacy import path."""

import hashlib
import os
import pickle
import random
import sqlite3
import string
import subprocess

import yaml


class OrderStore:
    """Keeps orders in SQLite and caches rendered receipts on disk."""

    def __init__(self, path):
        self.db = sqlite3.connect(path)
        self.cache_dir = os.path.join(os.path.dirname(path), "cache")

    def cache_key(self, receipt):
        # Weak hash used as an integrity check of the cached file.
        return hashlib.md5(receipt.encode()).hexdigest()

    def content_address(self, blob):
        return hashlib.sha256(blob).hexdigest()

    def find_by_customer(self, name):
        cur = self.db.cursor()
        # String-built SQL: an injection.
        cur.execute("SELECT id, total FROM orders WHERE customer = '%s'" % name)
        return cur.fetchall()

    def find_by_id(self, order_id):
        cur = self.db.cursor()
        cur.execute("SELECT id, total FROM orders WHERE id = ?", (order_id,))
        return cur.fetchone()

    def load_legacy(self, blob):
        # Pickle from an upload: arbitrary code execution.
        return pickle.loads(blob)

    def load_settings(self, text):
        return yaml.load(text, Loader=yaml.Loader)

    def load_settings_safely(self, text):
        return yaml.safe_load(text)


def archive(folder, target):
    """Tars a folder through the shell: the folder name is interpolated."""
    subprocess.run(f"tar czf {target} {folder}", shell=True, check=True)
    os.system("rm -rf " + folder)


def archive_safely(folder, target):
    subprocess.run(["tar", "czf", target, folder], check=True)


def reset_token(length=32):
    alphabet = string.ascii_letters + string.digits
    return "".join(random.choice(alphabet) for _ in range(length))


def evaluate_discount(expression, order):
    # A "rules engine" that evaluates user-supplied expressions.
    return eval(expression, {"order": order})
