using RabbitMQ.Client.Exceptions;

namespace Platform.Dashboard.Features.Messaging;

/// <summary>The Message flow view: queues, each service's outbox backlog, error queues with replay and discard.</summary>
public static class MessageFlowEndpoints
{
    public static IEndpointRouteBuilder MapMessageFlow(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/messaging").WithTags("Message flow");
        api.MapGet("/", Overview);
        api.MapGet("/errors", Errors);
        api.MapPost("/errors/replay", (ErrorMessageAction action, ErrorQueues queues, OperatorAudit audit, HttpContext http, TimeProvider time, CancellationToken cancellationToken) =>
            ActAsync(action, replay: true, queues, audit, http, time, cancellationToken));
        api.MapPost("/errors/discard", (ErrorMessageAction action, ErrorQueues queues, OperatorAudit audit, HttpContext http, TimeProvider time, CancellationToken cancellationToken) =>
            ActAsync(action, replay: false, queues, audit, http, time, cancellationToken));
        api.MapGet("/audit", (OperatorAudit audit) => TypedResults.Ok(audit.Entries));
        return endpoints;
    }

    /// <summary>A service's transactional outbox, from the <c>outbox</c> check of its readiness report.</summary>
    public sealed record OutboxView(string Service, string Status, long? PendingMessages, double? OldestAgeSeconds, long? FailingMessages, string? Problem);

    public sealed record MessageFlowReport(IReadOnlyList<QueueView> Queues, IReadOnlyList<QueueView> ErrorQueues, IReadOnlyList<OutboxView> Outboxes, string? BrokerProblem);

    private static async Task<Ok<MessageFlowReport>> Overview(BrokerManagement broker, ResourceBoard board, CancellationToken cancellationToken)
    {
        var readiness = board.ReadinessAsync(cancellationToken);
        List<QueueView> queues = [];
        string? problem = null;
        try
        {
            queues = await broker.QueuesAsync(cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            problem = $"RabbitMQ's management API does not answer: {e.Message}";
        }
        var outboxes = (await readiness).Select(r =>
        {
            var outbox = r.Value.Checks.FirstOrDefault(c => c.Name == "outbox");
            if (outbox is null) return new OutboxView(r.Key, r.Value.Answered ? "none" : "unreachable", null, null, null, r.Value.Problem ?? "no outbox check in the readiness report");
            long? Long(string key) => outbox.Data.TryGetValue(key, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : null;
            double? Double(string key) => outbox.Data.TryGetValue(key, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
            return new OutboxView(r.Key, outbox.Status, Long("pendingMessages"), Double("oldestAgeSeconds"), Long("failingMessages"), outbox.Status == "healthy" ? null : outbox.Description);
        }).ToList();
        return TypedResults.Ok(new MessageFlowReport([.. queues.Where(q => !q.IsErrorQueue)], [.. queues.Where(q => q.IsErrorQueue)], outboxes, problem));
    }

    private static async Task<Results<Ok<List<ErrorMessageView>>, ValidationProblem, ProblemHttpResult>> Errors(ErrorQueues queues, string? vhost, string? queue, int? limit, CancellationToken cancellationToken)
    {
        if (Invalid(("vhost", vhost), ("queue", queue)) is { } invalid) return invalid;
        try
        {
            var messages = await queues.PeekAsync(vhost!, queue!, Math.Clamp(limit ?? 50, 1, 200), cancellationToken);
            return messages is null
                ? Problems.NotFound($"There is no queue {queue} in virtual host {vhost}.")
                : TypedResults.Ok(messages);
        }
        catch (Exception e) when (ErrorQueues.IsUnknownVirtualHost(e))
        {
            return Problems.NotFound($"There is no virtual host {vhost}.");
        }
        catch (Exception e) when (IsBrokerFailure(e))
        {
            return Problems.Status(StatusCodes.Status503ServiceUnavailable, $"The error queue could not be read: {e.Message}");
        }
    }

    private static bool IsBrokerFailure(Exception e) =>
        e is BrokerUnreachableException or OperationInterruptedException or AlreadyClosedException or PublishException or BrokerSettings.NotConfiguredException;

    /// <summary>Which message of which error queue to replay or discard.</summary>
    /// <param name="VirtualHost">The queue's virtual host (<c>/</c> for the AppHost's broker).</param>
    /// <param name="Queue">An error queue: its name ends with <c>_error</c>.</param>
    /// <param name="MessageId">The message's id as the error-queue listing shows it.</param>
    public sealed record ErrorMessageAction(string? VirtualHost, string? Queue, string? MessageId);

    /// <summary>The outcome, as recorded in the audit list.</summary>
    public sealed record ErrorMessageResult(string Outcome, string Queue, string MessageId);

    private static async Task<Results<Ok<ErrorMessageResult>, ValidationProblem, ProblemHttpResult>> ActAsync(
        ErrorMessageAction action, bool replay, ErrorQueues queues, OperatorAudit audit, HttpContext http, TimeProvider time, CancellationToken cancellationToken)
    {
        if (Invalid(("virtualHost", action.VirtualHost), ("queue", action.Queue), ("messageId", action.MessageId)) is { } invalid) return invalid;
        var messageId = action.MessageId!;
        var verb = replay ? "replay" : "discard";
        ErrorQueueOutcome outcome;
        try
        {
            outcome = replay
                ? await queues.ReplayAsync(action.VirtualHost!, action.Queue!, messageId, cancellationToken)
                : await queues.DiscardAsync(action.VirtualHost!, action.Queue!, messageId, cancellationToken);
        }
        catch (Exception e) when (ErrorQueues.IsUnknownVirtualHost(e))
        {
            return Problems.NotFound($"There is no virtual host {action.VirtualHost}.");
        }
        catch (Exception e) when (IsBrokerFailure(e))
        {
            audit.Record(new AuditEntry(time.GetUtcNow(), verb, action.VirtualHost!, action.Queue!, messageId, $"failed: {e.Message}", From(http)));
            return Problems.Status(StatusCodes.Status503ServiceUnavailable, $"The {verb} failed, the message stays in {action.Queue}: {e.Message}");
        }
        audit.Record(new AuditEntry(time.GetUtcNow(), verb, action.VirtualHost!, action.Queue!, messageId, outcome.ToString(), From(http)));
        return outcome switch
        {
            ErrorQueueOutcome.NotFound => Problems.NotFound($"Message {messageId} is not in {action.Queue} (any more)."),
            ErrorQueueOutcome.QueueMissing => Problems.NotFound($"There is no queue {action.Queue} in virtual host {action.VirtualHost}."),
            ErrorQueueOutcome.OriginalQueueMissing => Problems.Conflict(
                $"The original queue {ErrorQueues.OriginalQueue(action.Queue!)} does not exist, so nothing was replayed."),
            _ => TypedResults.Ok(new ErrorMessageResult(outcome.ToString(), action.Queue!, messageId)),
        };
    }

    /// <summary>AMQP names are short strings (at most 255 bytes); ids and names never hold control characters.</summary>
    private const int MaxNameBytes = 255;

    /// <summary>Each field's problem (required, too long, control characters, a queue that is no error queue), or null.</summary>
    private static ValidationProblem? Invalid(params (string Field, string? Value)[] fields)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (field, value) in fields)
        {
            string? problem = null;
            if (string.IsNullOrWhiteSpace(value))
                problem = field is "vhost" or "virtualHost" ? "Required (\"/\" for the default virtual host)." : "Required.";
            else if (System.Text.Encoding.UTF8.GetByteCount(value) > MaxNameBytes)
                problem = $"At most {MaxNameBytes} bytes.";
            else if (TextRules.Problem(value) is { } text)
                problem = text;
            else if (field == "queue" && (!value.EndsWith(BrokerManagement.ErrorSuffix, StringComparison.Ordinal) || value.Length == BrokerManagement.ErrorSuffix.Length))
                problem = "Must be an error queue (its name ends with _error).";
            if (problem is not null) errors[field] = [problem];
        }
        return errors.Count == 0 ? null : Problems.Validation(errors);
    }

    private static string From(HttpContext http) => OperatorAccess.From(http);
}
