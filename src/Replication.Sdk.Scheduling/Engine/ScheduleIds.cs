using System.Globalization;
using System.Text;

namespace Replication.Sdk.Scheduling;

/// <summary>
/// The one rule an id of a schedule, a group or a VM context must meet to be written: what every store can hold as a key
/// (the MySQL columns are <c>VARCHAR(64)</c> for schedules and groups, <c>VARCHAR(191)</c> for VM contexts) and what an
/// operator can read back and type: not empty, no control or invisible formatting character, no white space at either
/// end. Every <see cref="IScheduleStoreWriter"/> and the management API apply it, so both refuse the same ids.
/// </summary>
internal static class ScheduleIds
{
    /// <summary>The longest schedule id: <c>replication_schedules.id</c> is <c>VARCHAR(64)</c>.</summary>
    public const int MaxScheduleIdLength = 64;

    /// <summary>The longest group id: <c>vm_machine_groups.id</c> is <c>VARCHAR(64)</c>.</summary>
    public const int MaxGroupIdLength = 64;

    /// <summary>The longest VM context id: the SDK's tables key it as <c>VARCHAR(191)</c>.</summary>
    public const int MaxVmContextIdLength = 191;

    /// <exception cref="InvalidIdException">The id is not one a store can hold.</exception>
    public static void CheckSchedule(string? id, string name = "scheduleId") => Check(id, MaxScheduleIdLength, name, addressable: true);

    /// <exception cref="InvalidIdException">The id is not one a store can hold.</exception>
    public static void CheckGroup(string? id, string name = "groupId") => Check(id, MaxGroupIdLength, name, addressable: true);

    /// <exception cref="InvalidIdException">The id is not one a store can hold.</exception>
    public static void CheckVmContext(string? id, string name = "contextId") => Check(id, MaxVmContextIdLength, name);

    /// <summary>Why <paramref name="id"/> cannot be written, or <see langword="null"/> when it can.</summary>
    public static string? Problem(string? id, int maxLength)
    {
        if (string.IsNullOrEmpty(id))
        {
            return "it is empty";
        }

        if (id.Length > maxLength)
        {
            return Text($"it is {id.Length} characters long; at most {maxLength} are allowed");
        }

        for (var i = 0; i < id.Length;)
        {
            // A lone surrogate is no character at all: utf8mb4 cannot store it, and it would not read back the same.
            if (Rune.DecodeFromUtf16(id.AsSpan(i), out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return Text($"it has an unpaired surrogate at position {i + 1}");
            }

            // Control characters (a newline, ESC) forge lines in logs and audit records; format and separator
            // characters make two ids that look the same.
            if (Rune.IsControl(rune) || Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                return Text($"it has the control or formatting character U+{rune.Value:X4} at position {i + 1}");
            }

            i += consumed;
        }

        return char.IsWhiteSpace(id[0]) || char.IsWhiteSpace(id[^1]) ? "it begins or ends with white space" : null;
    }

    /// <summary>
    /// Why a schedule or group id cannot be one segment of a URL path, or <see langword="null"/>. The SDK names those ids
    /// itself, so it keeps them addressable: ASP.NET Core leaves <c>%2F</c> encoded in a path and decodes <c>%25</c>, so an
    /// id with <c>/</c> could never be read back through the API, and one with <c>%</c> would be reached by two URLs
    /// (<c>a%2Fb</c> and <c>a%252Fb</c>). VM context ids come from the appliance (vCenter itself writes a <c>/</c> in a
    /// VM's name as <c>%2f</c>) and keep them.
    /// </summary>
    public static string? PathProblem(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var at = id.AsSpan().IndexOfAny('/', '%');
        return at < 0 ? null : Text($"it has '{id[at]}' at position {at + 1}, which a URL path cannot carry unambiguously");
    }

    private static void Check(string? id, int maxLength, string name, bool addressable = false)
    {
        if ((Problem(id, maxLength) ?? (addressable ? PathProblem(id!) : null)) is { } problem)
        {
            throw new InvalidIdException(name, problem);
        }
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
