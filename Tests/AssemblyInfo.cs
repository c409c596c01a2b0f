// Every test class starts real silos, gateways or Redis servers; on a two-core machine they are faster one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
