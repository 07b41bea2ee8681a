export function RepositoriesPage(_props: Record<string, unknown>) { return <p>Coming.</p>; }
