export function RepositoryPage(_props: Record<string, unknown>) { return <p>Coming.</p>; }
