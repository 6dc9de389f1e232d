// Reported bug: deployments that follow a scale-up (Count 2 -> 3) or an in-place
// update never become "successful" (DesiredTotal 3, PlacedAllocs 1, HealthyAllocs 1,
// stays "running" until the progress deadline). A destructive update does finish.
// Not investigated yet: the hard stop was reached before the cause was found.
// Places to look (per /work/shared/reference/nomad-scheduler.md §1.5 steps 19-21, §5):
// reconciler DesiredTotal for a new deployment, the plan applier moving in-place
// updated allocs into the new deployment (DeploymentID + health counters), the
// deployment watcher's completion check, the client's health reporting when an
// allocation's DeploymentID changes.
describe('deployment completion after scale-up / in-place update', () => {
  it.skip('scale-up 2->3 reaches successful; in-place update reaches successful and keeps alloc IDs; destructive update still works', () => {
    // TODO: implement with startTestAgent/api/waitFor/mockJob from test/helpers/runtime.ts
  });
});
