namespace Replication.Sdk.Scheduling;

/// <summary>A replication window's text is invalid. The message names the token at fault and where it starts.</summary>
public sealed class ReplicationWindowFormatException : FormatException
{
    /// <summary>Initializes a new instance of the <see cref="ReplicationWindowFormatException"/> class.</summary>
    /// <param name="text">The window text.</param>
    /// <param name="token">The token at fault (empty when the text ended too early).</param>
    /// <param name="position">The zero-based character position of <paramref name="token"/> in <paramref name="text"/>.</param>
    /// <param name="problem">What is wrong.</param>
    public ReplicationWindowFormatException(string text, string token, int position, string problem)
        : base($"Invalid replication window '{text}': {(token.Length == 0 ? "at the end" : $"'{token}'")} at position {position}: {problem}")
    {
        Text = text;
        Token = token;
        Position = position;
        Problem = problem;
    }

    /// <summary>Gets the window text.</summary>
    public string Text { get; }

    /// <summary>Gets the token at fault (empty when the text ended too early).</summary>
    public string Token { get; }

    /// <summary>Gets the zero-based character position of <see cref="Token"/> in <see cref="Text"/>.</summary>
    public int Position { get; }

    /// <summary>Gets what is wrong.</summary>
    public string Problem { get; }
}
