namespace Replication.Sdk.Oma.Authentication;

/// <summary>A session token and the login generation that produced it; a rejection is reported by generation.</summary>
internal sealed record OmaSession(string Token, long Generation)
{
    public override string ToString() => $"OmaSession {{ Generation = {Generation} }}";
}
