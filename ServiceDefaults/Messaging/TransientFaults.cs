using System.Net.Sockets;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using RabbitMQ.Client.Exceptions;

namespace Platform.ServiceDefaults.Messaging;

/// <summary>
/// Tells a failure that will probably pass on its own (database or broker unreachable, restarting, overloaded; a
/// timeout; a deadlock or concurrency conflict) from one that will not (a bug, a message the consumer refuses).
/// The first kind gets delayed redelivery (<see cref="DelayedRedeliveryFilter"/>), the second goes to <c>_error</c>.
/// </summary>
public static class TransientFaults
{
    public static bool IsTransient(Exception? exception)
    {
        // Walk the whole chain: EF wraps Npgsql in DbUpdateException/RetryLimitExceededException, MassTransit in its own.
        for (var depth = 0; exception is not null && depth < 16; depth++)
        {
            switch (exception)
            {
                case NpgsqlException npgsql when npgsql.IsTransient:
                case PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "53300" or "40001" or "40P01" or "08000" or "08003" or "08006" }:
                case DbUpdateConcurrencyException:
                case TimeoutException:
                case SocketException:
                case IOException:
                case AlreadyClosedException:
                case OperationInterruptedException:
                case ConnectFailureException:
                case ConnectionException:
                    return true;
                case AggregateException aggregate when aggregate.InnerExceptions.Count > 0:
                    return aggregate.InnerExceptions.Any(IsTransient);
            }
            exception = exception.InnerException;
        }
        return false;
    }
}
