using System.Security.Authentication;

namespace Replication.Sdk.Security;

/// <summary>
/// Thrown by the certificate validation callback so the check that failed survives the trip through SslStream and
/// SocketsHttpHandler (a callback returning false leaves only "rejected by the callback").
/// </summary>
internal sealed class TlsValidationFailedException(TlsFailureReason reason)
    : AuthenticationException($"The appliance's TLS certificate was refused: {reason}.")
{
    public TlsFailureReason Reason { get; } = reason;

    /// <summary>Whether <paramref name="exception"/> (or one of its causes) is a TLS authentication failure, and which check failed.</summary>
    public static bool TryFind(Exception? exception, out TlsFailureReason reason)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is TlsValidationFailedException tls)
            {
                reason = tls.Reason;
                return true;
            }

            if (e is AuthenticationException)
            {
                reason = TlsFailureReason.HandshakeFailed;
                return true;
            }
        }

        reason = default;
        return false;
    }
}
