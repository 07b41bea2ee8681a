export function SecretsPage(_props: Record<string, unknown>) { return <p>Coming.</p>; }
