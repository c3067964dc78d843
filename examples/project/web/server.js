// The sample shop's HTTP front end: sessions, uploads and a payment-provider client.
'use strict';

const crypto = require('crypto');
const child_process = require('child_process');
const https = require('https');

function etag(body) {
  return crypto.createHash('md5').update(body).digest('hex');
}

function sessionId() {
  return crypto.randomBytes(32).toString('hex');
}

function thumbnail(file, size) {
  // The file name comes from the upload form.
  return child_process.execSync('convert ' + file + ' -resize ' + size + ' thumb.png');
}

function thumbnailSafely(file, size) {
  return child_process.execFile('convert', [file, '-resize', size, 'thumb.png'], () => {});
}

function ordersOf(db, customer) {
  return db.query("SELECT * FROM orders WHERE customer = '" + customer + "'", []);
}

const paymentAgent = new https.Agent({ keepAlive: true, rejectUnauthorized: false });

module.exports = { etag, sessionId, thumbnail, thumbnailSafely, ordersOf, paymentAgent };
