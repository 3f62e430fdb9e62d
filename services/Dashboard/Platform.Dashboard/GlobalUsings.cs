global using Microsoft.AspNetCore.Http.HttpResults;
global using Platform.Dashboard.Features.Kpis;
global using Platform.Dashboard.Features.Messaging;
global using Platform.Dashboard.Features.Resources;
global using Platform.Dashboard.Operators;
global using Platform.ServiceDefaults.Http;
global using System.Text.Json;
global using System.Text;
