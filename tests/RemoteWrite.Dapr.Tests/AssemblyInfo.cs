// The end-to-end tests start real processes on a 2-core machine: one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
