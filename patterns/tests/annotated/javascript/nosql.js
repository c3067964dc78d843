// NoSQL injection (CWE-943), after
// https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/07-Input_Validation_Testing/05.6-Testing_for_NoSQL_Injection,
// https://www.mongodb.com/docs/manual/reference/operator/query/where/ and
// https://www.mongodb.com/docs/manual/reference/operator/query/eq/
const express = require("express");
const { MongoClient, ObjectId } = require("mongodb");
const User = require("./models/user");
const app = express();
const db = new MongoClient(process.env.MONGO_URL).db("app");

app.post("/login", async (req, res) => {
  const { username, password } = req.body;
  const user = await User.findOne({ username, password }); // codetable: expect security.nosql-injection.request-object
  res.json({ ok: Boolean(user) });
});

app.post("/login2", async (req, res) => {
  const user = await db.collection("users").findOne({ user: req.body.user, pass: req.body.pass }); // codetable: expect security.nosql-injection.request-object
  res.json({ ok: Boolean(user) });
});

app.get("/search", async (req, res) => {
  res.json(await db.collection("items").find(req.query).toArray()); // codetable: expect security.nosql-injection.request-object
});

app.get("/search2", async (req, res) => {
  const filter = { ...req.query, deleted: false };
  res.json(await db.collection("items").find(filter).toArray()); // codetable: expect security.nosql-injection.request-object
});

app.post("/remove", async (req, res) => {
  await db.collection("items").deleteMany({ owner: req.body.owner }); // codetable: expect security.nosql-injection.request-object
  res.sendStatus(204);
});

app.post("/rename", async (req, res) => {
  await User.updateOne({ email: req.body.email }, { $set: { name: "x" } }); // codetable: expect security.nosql-injection.request-object
  res.sendStatus(204);
});

app.get("/where", async (req, res) => {
  const docs = await db.collection("users").find({ $where: "this.name == '" + req.query.name + "'" }).toArray(); // codetable: expect security.nosql-injection.where-string
  res.json(docs);
});

app.get("/where2", async (req, res) => {
  res.json(await db.collection("users").find({ $where: `this.age > ${req.query.age}` }).toArray()); // codetable: expect security.nosql-injection.where-string
});

// Fixed forms.
app.post("/login-fixed", async (req, res) => {
  const user = await User.findOne({ username: String(req.body.username) }); // codetable: ok security.nosql-injection.request-object
  res.json({ ok: Boolean(user) });
});

app.post("/login-eq", async (req, res) => {
  const user = await User.findOne({ username: { $eq: req.body.username } }); // codetable: ok security.nosql-injection.request-object
  res.json({ ok: Boolean(user) });
});

app.get("/item/:id", async (req, res) => {
  res.json(await db.collection("items").findOne({ _id: new ObjectId(req.params.id) })); // codetable: ok security.nosql-injection.request-object
});

app.get("/by-slug/:slug", async (req, res) => {
  res.json(await db.collection("items").findOne({ slug: req.params.slug })); // codetable: ok security.nosql-injection.request-object
});

app.get("/cached", (req, res) => {
  const hit = CACHE.find((c) => c.key === req.query.key); // codetable: ok security.nosql-injection.request-object
  res.json(hit || null);
});

function constantWhere() {
  return db.collection("users").find({ $where: "this.age > 18" }); // codetable: ok security.nosql-injection.where-string
}

app.get("/page", async (req, res) => {
  const limit = parseInt(req.query.limit, 10);
  res.json(await db.collection("items").find({ public: true }).limit(limit).toArray()); // codetable: ok security.nosql-injection.request-object
});
