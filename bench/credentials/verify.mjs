// Verify EduBridge credentials with Digital Bazaar's libraries (an independent implementation).
// Usage: node verify.mjs CONTEXT_DIR STATUS_LIST.json[,STATUS_LIST.json] [--did DID.json]
//        CREDENTIAL.json [CREDENTIAL.json ...]
// Prints one line per credential: "<file>: verified" or "<file>: REJECTED <reason>".
// The document loader serves only local context files, did:key documents and the did:web
// documents given with --did (the node's /.well-known/did.json, saved beforehand); no network.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022CryptoSuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';

const [contextDir, statusFiles, ...rest] = process.argv.slice(2);
const didDocuments = {};
const files = [];
for(let i = 0; i < rest.length; i++) {
  if(rest[i] === '--did') {
    const document = JSON.parse(fs.readFileSync(rest[++i], 'utf8'));
    didDocuments[document.id] = document;
  } else {
    files.push(rest[i]);
  }
}
const CONTEXTS = {
  'https://www.w3.org/ns/credentials/v2': 'credentials-v2.jsonld',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json': 'ob-v3p0-3.0.3.json',
  'https://w3id.org/security/data-integrity/v1': 'data-integrity-v1.jsonld',
};
// The Multikey context is not among the shared copies; verification-method documents below are
// consumed as plain JSON by @digitalbazaar/data-integrity, so this minimal stand-in only has to exist.
const MULTIKEY_V1 = 'https://w3id.org/security/multikey/v1';
const statusLists = Object.fromEntries(statusFiles.split(',').map(file => {
  const list = JSON.parse(fs.readFileSync(file, 'utf8'));
  return [list.id, list];
}));

function didWebDocuments(url) {
  const did = url.split('#')[0];
  const document = didDocuments[did];
  if(!document) {
    throw new Error(`refusing to load ${did}: no local DID document`);
  }
  if(!url.includes('#')) {
    return document;
  }
  const method = document.verificationMethod.find(m => m.id === url);
  if(!method) {
    throw new Error(`${url} is not in the DID document of ${did}`);
  }
  return {'@context': MULTIKEY_V1, ...method};
}

function didKeyDocuments(url) {
  const did = url.split('#')[0];
  const key = did.slice('did:key:'.length);
  const vmId = `${did}#${key}`;
  const method = {'@context': MULTIKEY_V1, id: vmId, type: 'Multikey', controller: did,
    publicKeyMultibase: key};
  if(url.includes('#')) {
    return method;
  }
  return {'@context': ['https://www.w3.org/ns/did/v1', MULTIKEY_V1], id: did,
    verificationMethod: [method], assertionMethod: [vmId], authentication: [vmId]};
}

async function documentLoader(url) {
  if(CONTEXTS[url]) {
    const document = JSON.parse(fs.readFileSync(path.join(contextDir, CONTEXTS[url]), 'utf8'));
    return {contextUrl: null, documentUrl: url, document};
  }
  if(url === MULTIKEY_V1) {
    return {contextUrl: null, documentUrl: url, document: {'@context': {'@protected': true}}};
  }
  if(url.startsWith('did:key:')) {
    return {contextUrl: null, documentUrl: url, document: didKeyDocuments(url)};
  }
  if(url.startsWith('did:web:')) {
    return {contextUrl: null, documentUrl: url, document: didWebDocuments(url)};
  }
  if(statusLists[url]) {
    return {contextUrl: null, documentUrl: url, document: statusLists[url]};
  }
  throw new Error(`refusing to load ${url}: not a local document`);
}

const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022CryptoSuite});

async function checkStatus({credential}) {
  const entry = credential.credentialStatus;
  const statusList = statusLists[entry.statusListCredential];
  if(!statusList) {
    return {verified: false, error: new Error('unknown status list')};
  }
  const listResult = await vc.verifyCredential({credential: statusList, suite, documentLoader});
  if(!listResult.verified) {
    return {verified: false, error: new Error('status list signature does not verify')};
  }
  const encoded = statusList.credentialSubject.encodedList;
  const bits = zlib.gunzipSync(Buffer.from(encoded.slice(1), 'base64url'));
  const index = parseInt(entry.statusListIndex, 10);
  const revoked = (bits[index >> 3] & (0x80 >> (index % 8))) !== 0;
  return revoked ? {verified: false, error: new Error(`revoked (entry ${index})`)} : {verified: true};
}

let failures = 0;
for(const file of files) {
  const credential = JSON.parse(fs.readFileSync(file, 'utf8'));
  const result = await vc.verifyCredential({credential, suite, documentLoader, checkStatus});
  if(result.verified) {
    console.log(`${path.basename(file)}: verified`);
  } else {
    failures += 1;
    const errors = [result.error, ...(result.results || []).map(r => r.error),
      result.statusResult && result.statusResult.error].filter(Boolean);
    const messages = errors.flatMap(e => (e.errors || [e]).map(x => x.message));
    const reason = [...new Set(messages)].join(' | ');
    console.log(`${path.basename(file)}: REJECTED ${reason}`);
  }
}
process.exitCode = 0;
