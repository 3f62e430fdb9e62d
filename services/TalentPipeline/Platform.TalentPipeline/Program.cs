using Platform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("talent-pipeline");

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();

/// <summary>Entry point; public so integration tests can host the service.</summary>
public partial class Program;
