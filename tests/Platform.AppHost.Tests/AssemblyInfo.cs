// One platform at a time: each is PostgreSQL, RabbitMQ, DCP, the Aspire dashboard and four services starting
// cold; two at once on a two-core machine mostly measure each other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
