/**
 * The responses an Application Load Balancer writes itself (502, 503, 504): its HTML body and
 * `Server: awselb/2.0`, as raw HTTP responses for HAProxy's `errorfile`.
 */

const reasons: Record<number, string> = {
  502: 'Bad Gateway',
  503: 'Service Temporarily Unavailable',
  504: 'Gateway Time-out',
};

/** The status codes the ALB answers itself when targets cannot. */
export const albErrorStatuses = [502, 503, 504] as const;

/** The body the ALB sends with one of its own errors. */
export function albErrorBody(status: number): string {
  const line = `${status} ${reasons[status] ?? 'Error'}`;
  return `<html>\r\n<head><title>${line}</title></head>\r\n<body>\r\n<center><h1>${line}</h1></center>\r\n</body>\r\n</html>\r\n`;
}

/** The whole response (status line, headers, body) for an `errorfile`. */
export function albErrorResponse(status: number): string {
  const body = albErrorBody(status);
  return [
    `HTTP/1.1 ${status} ${reasons[status] ?? 'Error'}`,
    'Server: awselb/2.0',
    'Content-Type: text/html',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: keep-alive',
    '',
    body,
  ].join('\r\n');
}
