using Platform.Dashboard;
using Platform.Dashboard.Features.Language;
using Platform.Dashboard.Features.Links;
using Platform.Dashboard.Features.Reports;
using Platform.Dashboard.Features.Webhooks;

// The operator dashboard: what only it has — consortium KPIs, message flow (queues, outbox backlog, error queues with
// replay/discard, the operator-action audit), webhook endpoints with their delivery logs, and the services' health. Traces, logs, metrics and console output are
// the Aspire dashboard's: this one links to them (Dashboard:AspireDashboard:Url). Static pages from wwwroot, JSON
// under /api/. Started by the AppHost; see DashboardSetup for its settings.
var builder = WebApplication.CreateBuilder(args);
builder.AddDashboard();

var app = builder.Build();
app.UseDashboard();
app.MapLinks();
app.MapResources();
app.MapMessageFlow();
app.MapKpis();
app.MapWebhooks();
app.MapLanguage();
app.MapReports();
app.Run();

/// <summary>Entry point; public so tests can host the dashboard.</summary>
public partial class Program;
