export function TaskDefinitionsPage(_props: Record<string, unknown>) { return <p>Coming.</p>; }
