Console.WriteLine("AppHost: not yet wired.");
