export function TaskDefinitionPage(_props: Record<string, unknown>) { return <p>Coming.</p>; }
