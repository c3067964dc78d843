# Unsafe deserialization (CWE-502), after https://cwe.mitre.org/data/definitions/502.html,
# https://cheatsheetseries.owasp.org/cheatsheets/Deserialization_Cheat_Sheet.html and
# https://pyyaml.org/wiki/PyYAMLDocumentation
import importlib
import json
import marshal
import pickle
import shelve
import _pickle
import yaml
import dill
import jsonpickle
from pickle import loads as unpickle


def from_cookie(data):
    return pickle.loads(data)  # codetable: expect security.deserialization.native-object


def from_file(path):
    with open(path, "rb") as f:
        return pickle.load(f)  # codetable: expect security.deserialization.native-object


def unpickler(stream):
    return pickle.Unpickler(stream).load()  # codetable: expect security.deserialization.native-object


def renamed(data):
    return unpickle(data)  # codetable: expect security.deserialization.native-object


def private_module(data):
    return _pickle.loads(data)  # codetable: expect security.deserialization.native-object


def with_marshal(blob):
    return marshal.loads(blob)  # codetable: expect security.deserialization.native-object


def with_shelve(path):
    return shelve.open(path)["session"]  # codetable: expect security.deserialization.native-object


# Session 10: flag "n" always creates a new, empty shelf (https://docs.python.org/3/library/dbm.html#dbm.open):
# writing to it unpickles nothing; a shelf opened to read ("r", "c", the default) does.
def save_shelve(path, state):
    with shelve.open(path, flag="n") as db:  # codetable: ok security.deserialization.native-object
        db["state"] = state


def read_shelve(path):
    with shelve.open(path, "r") as db:  # codetable: expect security.deserialization.native-object
        return db["state"]


def with_dill(data):
    return dill.loads(data)  # codetable: expect security.deserialization.native-object


def with_jsonpickle(text):
    return jsonpickle.decode(text)  # codetable: expect security.deserialization.native-object


def pandas_pickle(pd, path):
    return pd.read_pickle(path)  # codetable: expect security.deserialization.native-object


def yaml_load(text):
    return yaml.load(text)  # codetable: expect security.deserialization.yaml-load


def yaml_unsafe(text):
    return yaml.load(text, Loader=yaml.Loader)  # codetable: expect security.deserialization.yaml-load


def yaml_unsafe_load(text):
    return yaml.unsafe_load(text)  # codetable: expect security.deserialization.yaml-load


def yaml_full(text):
    return yaml.load(text, Loader=yaml.UnsafeLoader)  # codetable: expect security.deserialization.yaml-load


def yaml_all(text):
    return list(yaml.load_all(text, Loader=yaml.Loader))  # codetable: expect security.deserialization.yaml-load


# Fixed forms: data-only formats and the safe loader.
def fixed_json(text):
    return json.loads(text)  # codetable: ok security.deserialization.native-object


def fixed_yaml(text):
    return yaml.safe_load(text)  # codetable: ok security.deserialization.yaml-load


def fixed_yaml_loader(text):
    return yaml.load(text, Loader=yaml.SafeLoader)  # codetable: ok security.deserialization.yaml-load


def fixed_yaml_csafe(text):
    return yaml.load(text, Loader=yaml.CSafeLoader)  # codetable: ok security.deserialization.yaml-load


def pickle_dump(obj, f):
    pickle.dump(obj, f)  # codetable: ok security.deserialization.native-object


def pickle_dumps(obj):
    return pickle.dumps(obj)  # codetable: ok security.deserialization.native-object


def fixed_marshal_dump(obj):
    return marshal.dumps(obj)  # codetable: ok security.deserialization.native-object


def fixed_json_load(f):
    return json.load(f)  # codetable: ok security.deserialization.native-object


def yaml_dump(obj):
    return yaml.dump(obj)  # codetable: ok security.deserialization.yaml-load


# Reached dynamically (https://docs.python.org/3/library/functions.html#import__ and
# https://docs.python.org/3/library/importlib.html#importlib.import_module): the same module.
def dynamic_import(blob):
    return __import__("pickle").loads(blob)  # codetable: expect security.deserialization.native-object


def import_module(blob):
    mod = importlib.import_module("pickle")
    return mod.loads(blob)  # codetable: expect security.deserialization.native-object


def by_getattr(blob):
    return getattr(pickle, "loads")(blob)  # codetable: expect security.deserialization.native-object


def json_by_import(blob):
    return __import__("json").loads(blob)  # codetable: ok security.deserialization.native-object
