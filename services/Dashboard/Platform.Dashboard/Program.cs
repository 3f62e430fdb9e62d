using Platform.Dashboard;
using Platform.Dashboard.Features.Kpis;
using Platform.Dashboard.Features.Messaging;
using Platform.Dashboard.Features.Resources;
using Platform.Dashboard.Features.Telemetry;

// The operator dashboard: resources, message flow, telemetry (an OTLP/HTTP receiver) and consortium KPIs.
// Static pages from wwwroot, JSON under /api/. Started by the AppHost; see DashboardSetup for its settings.
var builder = WebApplication.CreateBuilder(args);
builder.AddDashboard();

var app = builder.Build();
app.UseDashboard();
app.MapOtlpReceiver();
app.MapTelemetryViews();
app.MapResources();
app.MapMessageFlow();
app.MapKpis();
app.Run();

/// <summary>Entry point; public so tests can host the dashboard.</summary>
public partial class Program;
