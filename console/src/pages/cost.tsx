export function CostPage(_props: Record<string, unknown>) { return <p>Coming.</p>; }
