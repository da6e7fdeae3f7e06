import { expect } from 'chai';
import { CapturedResponse, toBotRequest } from '../../../../../adapters/inbound/teams/bot-framework-shim.js';

describe('API Gateway event to botbuilder request / response shim', () => {
  const activity = { type: 'message', text: 'sre plan é' };

  it('reads REST v1 and HTTP API v2 events, base64 bodies as UTF-8, headers lower-cased', () => {
    const v1 = toBotRequest({ httpMethod: 'POST', headers: { Authorization: 'Bearer t' }, body: JSON.stringify(activity), isBase64Encoded: false } as never);
    const v2 = toBotRequest({ version: '2.0', requestContext: { http: { method: 'POST' } }, headers: { authorization: 'Bearer t' }, body: Buffer.from(JSON.stringify(activity)).toString('base64'), isBase64Encoded: true } as never);

    for (const r of [v1, v2]) {
      expect('request' in r).to.equal(true);
      if (!('request' in r)) return;
      expect(r.request).to.deep.equal({ method: 'POST', headers: { authorization: 'Bearer t' }, body: activity });
    }
  });

  it('answers 400 to a body that is not a JSON object', () => {
    for (const body of ['{oops', '[1]', '', '"text"']) {
      const r = toBotRequest({ httpMethod: 'POST', headers: {}, body, isBase64Encoded: false } as never);
      expect('error' in r && r.error.statusCode, body).to.equal(400);
    }
  });

  it('collects status, headers and body into an API Gateway result', () => {
    const res = new CapturedResponse();
    res.status(401).header('X-Thing', 1).send({ error: 'Unauthorized' });
    res.end();

    expect(res.finished).to.equal(true);
    expect(res.toResult()).to.deep.equal({ statusCode: 401, body: '{"error":"Unauthorized"}', headers: { 'content-type': 'application/json', 'x-thing': '1' } });
    expect(new CapturedResponse().status(200).toResult()).to.deep.equal({ statusCode: 200, body: '' });
  });
});
