import { useEffect } from 'preact/hooks';
import { href, type Route } from '../lib/routes.js';
import { Link } from '../ui/link.js';
import { ClusterPage } from './cluster.js';
import { ClustersPage } from './clusters.js';
import { CostPage } from './cost.js';
import { LogGroupPage } from './log-group.js';
import { LogGroupsPage } from './log-groups.js';
import { RepositoriesPage } from './repositories.js';
import { RepositoryPage } from './repository.js';
import { SecretsPage } from './secrets.js';
import { ServicePage } from './service.js';
import { TaskDefinitionPage } from './task-definition.js';
import { TaskDefinitionsPage } from './task-definitions.js';
import { TaskPage } from './task.js';

/** The view of a route. */
export function Page(props: { route: Route }) {
  const { route } = props;
  useEffect(() => {
    document.title = `${title(route)} · minato`;
  }, [href(route)]);
  switch (route.page) {
    case 'clusters':
    case 'login':
      return <ClustersPage />;
    case 'cluster':
      return <ClusterPage cluster={route.cluster} />;
    case 'service':
      return <ServicePage cluster={route.cluster} service={route.service} />;
    case 'task':
      return <TaskPage cluster={route.cluster} task={route.task} />;
    case 'log-groups':
      return <LogGroupsPage />;
    case 'log-group':
      return <LogGroupPage group={route.group} />;
    case 'task-definitions':
      return <TaskDefinitionsPage />;
    case 'task-definition':
      return <TaskDefinitionPage family={route.family} />;
    case 'repositories':
      return <RepositoriesPage />;
    case 'repository':
      return <RepositoryPage repository={route.repository} />;
    case 'secrets':
      return <SecretsPage />;
    case 'cost':
      return <CostPage />;
    case 'not-found':
      return (
        <section>
          <h1>Not found</h1>
          <p>
            Nothing is at <code>{route.path}</code>. <Link href={href({ page: 'clusters' })}>Clusters</Link>
          </p>
        </section>
      );
  }
}

function title(route: Route): string {
  switch (route.page) {
    case 'cluster':
      return route.cluster;
    case 'service':
      return `${route.service} · ${route.cluster}`;
    case 'task':
      return `task ${route.task.slice(0, 8)}`;
    case 'log-group':
      return route.group;
    case 'task-definition':
      return route.family;
    case 'repository':
      return route.repository;
    default:
      return route.page.replace('-', ' ');
  }
}
