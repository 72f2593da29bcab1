using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Replication.Sdk.Serialization;

namespace Replication.Sdk.Http;

/// <summary>Reads appliance answers: capped error text, and typed JSON with typed failures.</summary>
internal static class ResponseBody
{
    /// <summary>Error bodies are kept for diagnosis, but never without bound.</summary>
    public const int MaxErrorBodyChars = 4096;

    /// <summary>At most this much of an error body is read: enough for <see cref="MaxErrorBodyChars"/> characters of UTF-8.</summary>
    private const int MaxErrorBodyBytes = MaxErrorBodyChars * 4;

    /// <summary>
    /// Below the 85,000-byte large-object threshold, so segments are cheap, short-lived arrays; and a power of two, so the
    /// shared pool hands out exactly this much (it rounds a request up to the next power of two).
    /// </summary>
    private const int SegmentBytes = 65536;

    /// <summary>
    /// Reads the whole success body, refusing it as soon as it passes <paramref name="maxBytes"/> (at once when
    /// Content-Length says so), and puts the bytes back as the response's content so readers can parse and quote it.
    /// </summary>
    public static async Task BufferAsync(HttpResponseMessage response, long maxBytes, ApplianceKind appliance, string endpoint, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength is { } length && length > maxBytes)
        {
            throw new ReplicationResponseTooLargeException(appliance, endpoint, response.StatusCode, maxBytes);
        }

        if (await ReadUpToAsync(response, maxBytes, refuseLonger: true, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new ReplicationResponseTooLargeException(appliance, endpoint, response.StatusCode, maxBytes);
        }
    }

    /// <summary>Reads no more of an error body than is kept, and leaves what was read as the response's content.</summary>
    public static async Task<string?> ReadErrorTextAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        byte[] kept;
        try
        {
            kept = (await ReadUpToAsync(response, MaxErrorBodyBytes, refuseLonger: false, cancellationToken).ConfigureAwait(false))!;
        }
        catch (HttpRequestException)
        {
            return null;
        }

        return Cap(Encoding.UTF8.GetString(kept).Trim());
    }

    public static string Cap(string text) =>
        text.Length <= MaxErrorBodyChars ? text : string.Concat(text.AsSpan(0, MaxErrorBodyChars), "…");

    public static async Task<T> ReadJsonAsync<T>(
        HttpResponseMessage response, JsonTypeInfo<T> typeInfo, ApplianceKind appliance, string endpoint, CancellationToken cancellationToken)
    {
        // The content is already buffered (BufferAsync), so a failed parse can still quote the body.
        try
        {
            T? value;
            if (response.Content is BufferedContent buffered)
            {
                // Bytes in hand parse in one synchronous pass: no stream, no serializer read buffer, no async state.
                value = JsonSerializer.Deserialize(buffered.Bytes, typeInfo);
            }
            else
            {
                var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                await using (stream.ConfigureAwait(false))
                {
                    value = await JsonSerializer.DeserializeAsync(stream, typeInfo, cancellationToken).ConfigureAwait(false);
                }
            }

            if (value is null)
            {
                throw new ReplicationResponseFormatException(appliance, endpoint, response.StatusCode, "the body is JSON null", "null", null);
            }

            if (NullValueCheck.Find(value, typeInfo) is { } path)
            {
                throw await FormatErrorAsync(response, appliance, endpoint, $"null or missing where the API has a value, at {path}", null, cancellationToken).ConfigureAwait(false);
            }

            return value;
        }
        catch (JsonException ex)
        {
            throw await FormatErrorAsync(response, appliance, endpoint, Describe(ex), ex, cancellationToken).ConfigureAwait(false);
        }
    }

    public static async Task<ReplicationResponseFormatException> FormatErrorAsync(
        HttpResponseMessage response, ApplianceKind appliance, string endpoint, string problem, Exception? inner, CancellationToken cancellationToken)
    {
        string? excerpt = null;
        try
        {
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            excerpt = Cap(Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, MaxErrorBodyChars * 4)));
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or ObjectDisposedException)
        {
            // The body is gone; the problem text still says what was wrong.
        }

        return new ReplicationResponseFormatException(appliance, endpoint, response.StatusCode, problem, excerpt, inner);
    }

    public static string Describe(JsonException ex)
    {
        var where = ex.Path is null ? "" : $" at {ex.Path}";
        var line = ex.LineNumber is null ? "" : $" (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine})";
        if (IsNullForNonNullable(ex))
        {
            return $"null where the API has a value{where}{line}";
        }

        var isTruncated = ex.Message.Contains("end of data", StringComparison.OrdinalIgnoreCase)
            || ex.Message.Contains("incomplete", StringComparison.OrdinalIgnoreCase);
        return isTruncated
            ? $"the JSON is truncated{where}{line}"
            : $"malformed JSON{where}{line}: {ex.Message}";
    }

    // The serializer's wording for a null in a member declared non-nullable (RespectNullableAnnotations).
    private static bool IsNullForNonNullable(JsonException ex) =>
        ex.Message.Contains("doesn't allow", StringComparison.Ordinal) && ex.Message.Contains("null", StringComparison.Ordinal);

    /// <summary>
    /// Reads at most <paramref name="maxBytes"/> of the body and replaces the content with them, so a second reader
    /// (the error parser after the authentication handler, the excerpt of a format error) sees the same bytes. With
    /// <paramref name="refuseLonger"/>, a body that goes on past <paramref name="maxBytes"/> gives <see langword="null"/>
    /// (one byte more is read to know it) and is neither copied nor kept.
    /// </summary>
    /// <remarks>
    /// The body is read into pooled segments below the large-object threshold, then copied once into an array of its
    /// exact size: a growing buffer would allocate about twice what it ends up holding, and keep the slack. The segments
    /// are rented: a fresh one per call was an 80 KiB allocation (zeroed) for every small answer, a status poll's included.
    /// </remarks>
    private static async Task<byte[]?> ReadUpToAsync(HttpResponseMessage response, long maxBytes, bool refuseLonger, CancellationToken cancellationToken)
    {
        var original = response.Content;
        var limit = refuseLonger ? maxBytes + 1 : maxBytes;
        var segments = new List<byte[]>();
        var length = 0L;
        var filled = SegmentBytes;
        var size = 0;
        try
        {
            var stream = await original.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                while (length < limit)
                {
                    if (filled == SegmentBytes)
                    {
                        // A rented array may be longer than asked for; only the first `size` bytes of each segment are used.
                        size = (int)Math.Min(SegmentBytes, limit - length);
                        segments.Add(ArrayPool<byte>.Shared.Rent(size));
                        filled = 0;
                    }

                    var segment = segments[^1];
                    var read = await stream.ReadAsync(segment.AsMemory(filled, size - filled), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    filled += read;
                    length += read;
                    if (filled == size)
                    {
                        filled = SegmentBytes;
                    }
                }
            }

            if (length > maxBytes)
            {
                return null;
            }

            var bytes = new byte[length];
            var offset = 0;
            foreach (var segment in segments)
            {
                var count = (int)Math.Min(SegmentBytes, length - offset);
                segment.AsSpan(0, count).CopyTo(bytes.AsSpan(offset));
                offset += count;
            }

            Replace(response, original, bytes);
            return bytes;
        }
        catch (IOException ex)
        {
            // A body cut off mid-stream: the same failure as a connection lost before the headers, for retries and for
            // the create's outcome-unknown rule alike.
            throw new HttpRequestException(HttpRequestError.ResponseEnded, ex.Message, ex);
        }
        finally
        {
            foreach (var segment in segments)
            {
                ArrayPool<byte>.Shared.Return(segment);
            }
        }
    }

    private static void Replace(HttpResponseMessage response, HttpContent original, byte[] bytes)
    {
        var replacement = new BufferedContent(bytes);
        foreach (var header in original.Headers)
        {
            replacement.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        replacement.Headers.ContentLength = bytes.Length;
        response.Content = replacement;
        original.Dispose();
    }

    /// <summary>A body read whole by <see cref="ReadUpToAsync"/>; its bytes stay reachable so readers need not copy them again.</summary>
    private sealed class BufferedContent : ByteArrayContent
    {
        public BufferedContent(byte[] bytes)
            : base(bytes) => Bytes = bytes;

        public byte[] Bytes { get; }
    }
}
