# NoSQL injection (CWE-943), after
# https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/07-Input_Validation_Testing/05.6-Testing_for_NoSQL_Injection,
# https://www.mongodb.com/docs/manual/reference/operator/query/where/ and
# https://pymongo.readthedocs.io/en/stable/api/pymongo/collection.html
import json

from bson import ObjectId
from flask import Flask, request
from pymongo import MongoClient

app = Flask(__name__)
db = MongoClient()["app"]


@app.post("/login")
def login():
    data = request.get_json()
    user = db.users.find_one({"user": data["user"], "password": data["password"]})  # codetable: expect security.nosql-injection.request-object
    return {"ok": user is not None}


@app.post("/search")
def search():
    return {"n": db.items.count_documents(request.json)}  # codetable: expect security.nosql-injection.request-object


@app.post("/delete")
def delete():
    query = {"owner": request.json["owner"]}
    db.items.delete_many(query)  # codetable: expect security.nosql-injection.request-object
    return "", 204


def django_view(request):
    body = json.loads(request.body)
    return list(db.items.find({"tag": body["tag"]}))  # codetable: expect security.nosql-injection.request-object


@app.get("/where")
def where():
    name = request.args["name"]
    return list(db.users.find({"$where": "this.name == '" + name + "'"}))  # codetable: expect security.nosql-injection.where-string


@app.get("/where-f")
def where_f():
    return list(db.users.find({"$where": f"this.age > {request.args['age']}"}))  # codetable: expect security.nosql-injection.where-string


# Fixed forms.
@app.post("/login-fixed")
def login_fixed():
    data = request.get_json()
    user = db.users.find_one({"user": str(data["user"])})  # codetable: ok security.nosql-injection.request-object
    return {"ok": user is not None}


@app.get("/item")
def item():
    return db.items.find_one({"_id": ObjectId(request.json["id"])})  # codetable: ok security.nosql-injection.request-object


@app.get("/tag")
def tag():
    return list(db.items.find({"tag": request.args.get("tag")}))  # codetable: ok security.nosql-injection.request-object


@app.post("/title")
def title():
    text = request.json["title"]
    return {"at": text.find("-")}  # codetable: ok security.nosql-injection.request-object


def constant_where():
    return list(db.users.find({"$where": "this.age > 18"}))  # codetable: ok security.nosql-injection.where-string
