using Platform.Testing;

[assembly: AssemblyFixture(typeof(ThrowawayPostgres))]
[assembly: AssemblyFixture(typeof(ThrowawayRabbitMq))]
