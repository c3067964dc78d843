// Server-side template injection (CWE-1336), after https://cwe.mitre.org/data/definitions/1336.html,
// the OWASP WSTG SSTI chapter and the EJS, Pug, Handlebars, Nunjucks and lodash template documentation.
const ejs = require('ejs');
const pug = require('pug');
const Handlebars = require('handlebars');
const nunjucks = require('nunjucks');
const _ = require('lodash');
const express = require('express');

const app = express();

app.get('/hello', (req, res) => {
  res.send(ejs.render('<h1>Hello ' + req.query.name + '</h1>')); // codetable: expect security.template-injection.from-string, security.xss.inner-html
});

app.post('/preview', (req, res) => {
  const src = req.body.template;
  res.send(ejs.render(src, { user: 'guest' })); // codetable: expect security.template-injection.from-string
});

app.get('/pug', (req, res) => {
  const fn = pug.compile(`h1 Hello ${req.query.name}`); // codetable: expect security.template-injection.from-string
  res.send(fn());
});

app.post('/hbs', (req, res) => {
  const { body } = req;
  const tpl = Handlebars.compile(body.source); // codetable: expect security.template-injection.from-string
  res.send(tpl({}));
});

app.get('/nunjucks', (req, res) => {
  const page = '<p>' + req.query.msg + '</p>';
  res.send(nunjucks.renderString(page, {})); // codetable: expect security.template-injection.from-string, security.xss.inner-html
});

app.get('/lodash', (req, res) => {
  const compiled = _.template('Hello ' + req.query.name); // codetable: expect security.template-injection.from-string
  res.send(compiled({}));
});

// Fixed forms.
app.get('/hello-safe', (req, res) => {
  res.send(ejs.render('<h1>Hello <%= name %></h1>', { name: req.query.name })); // codetable: ok security.template-injection.from-string, security.xss.inner-html
});

app.get('/pug-safe', (req, res) => {
  res.send(pug.render('h1 Hello #{name}', { name: req.query.name })); // codetable: ok security.template-injection.from-string
});

app.get('/hbs-safe', (req, res) => {
  res.send(Handlebars.compile('<p>{{msg}}</p>')({ msg: req.query.msg })); // codetable: ok security.template-injection.from-string, security.xss.inner-html
});

app.get('/nunjucks-safe', (req, res) => {
  res.send(nunjucks.renderString('<p>{{ msg }}</p>', { msg: req.query.msg })); // codetable: ok security.template-injection.from-string, security.xss.inner-html
});

app.get('/view', (req, res) => {
  res.render('hello', { name: req.query.name }); // codetable: ok security.template-injection.from-string
});
