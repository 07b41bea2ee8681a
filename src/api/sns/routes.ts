import type { FastifyInstance } from 'fastify';
import { parseArn } from '../../lib/arn.js';
import type { Sns } from '../../sns/sns.js';

/** The path prefix of SigningCertURL. */
export const CERTIFICATE_PATH = '/sns/';

/** GET /sns/<certificate name>: the certificate that verifies SNS messages, unsigned as on AWS. */
export function snsCertificateRoute(sns: Sns) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get<{ Params: { name: string } }>(`${CERTIFICATE_PATH}:name`, async (req, reply) => {
      const cert = sns.signingCertificate;
      if (req.params.name !== cert.name) return reply.status(404).header('content-type', 'text/plain').send('Not Found');
      return reply.header('content-type', 'application/x-x509-ca-cert').send(cert.pem);
    });
  };
}

/** The region an ARN parameter names, for the unsigned GETs below. */
const regionOf = (member: string) => (params: URLSearchParams) => parseArn(params.get(member) ?? '')?.region;

/** SubscribeURL and UnsubscribeURL are plain links: AWS answers them without a signature. */
export const SNS_UNSIGNED_GETS = [
  { signingName: 'sns', action: 'ConfirmSubscription', region: regionOf('TopicArn') },
  { signingName: 'sns', action: 'Unsubscribe', region: regionOf('SubscriptionArn') },
] as const;
