using Platform.EndToEnd.Tests;

[assembly: AssemblyFixture(typeof(RunningAppHost))]
