using System.Text.Json;
using System.Text.Json.Serialization;

// What a partner adds beside an NSwag client (System.Text.Json): NSwag puts a string-enum converter on enum
// properties but not on arrays of enums (allowedActions, scopes), so enums are read by their API names everywhere.
namespace Platform.Clients.NSwag.Membership
{
    public partial class MembershipClient
    {
        static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) => settings.Converters.Add(new JsonStringEnumConverter());
    }
}

namespace Platform.Clients.NSwag.TalentPipeline
{
    public partial class TalentPipelineClient
    {
        static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) => settings.Converters.Add(new JsonStringEnumConverter());
    }
}

namespace Platform.Clients.NSwag.Events
{
    public partial class EventsClient
    {
        static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) => settings.Converters.Add(new JsonStringEnumConverter());
    }
}

namespace Platform.Clients.NSwag.Webhooks
{
    public partial class WebhooksClient
    {
        static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) => settings.Converters.Add(new JsonStringEnumConverter());
    }
}
