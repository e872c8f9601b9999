/// iCalendar texts several test targets read.
public enum ICSFixtures {
    /// A monthly AG § 78 series with an EXDATE, a moved occurrence (RECURRENCE-ID) and more events.
    public static let withOverrides = """
        BEGIN:VCALENDAR\r
        VERSION:2.0\r
        PRODID:-//test//DE\r
        BEGIN:VEVENT\r
        UID:ag78@kreis.invalid\r
        DTSTAMP:20260101T000000Z\r
        DTSTART;TZID=Europe/Berlin:20260113T140000\r
        DTEND;TZID=Europe/Berlin:20260113T160000\r
        RRULE:FREQ=MONTHLY;BYDAY=2TU;COUNT=4\r
        EXDATE;TZID=Europe/Berlin:20260210T140000\r
        SUMMARY:AG nach § 78 SGB VIII\r
        END:VEVENT\r
        BEGIN:VEVENT\r
        UID:ag78@kreis.invalid\r
        DTSTAMP:20260101T000000Z\r
        RECURRENCE-ID;TZID=Europe/Berlin:20260310T140000\r
        DTSTART;TZID=Europe/Berlin:20260312T090000\r
        DTEND;TZID=Europe/Berlin:20260312T110000\r
        SUMMARY:AG nach § 78 SGB VIII (verlegt)\r
        END:VEVENT\r
        BEGIN:VEVENT\r
        UID:ag78@kreis.invalid\r
        DTSTAMP:20260101T000000Z\r
        RECURRENCE-ID;TZID=Europe/Berlin:20260414T140000\r
        DTSTART;TZID=Europe/Berlin:20260414T140000\r
        STATUS:CANCELLED\r
        END:VEVENT\r
        BEGIN:VEVENT\r
        UID:single@kreis.invalid\r
        DTSTAMP:20260101T000000Z\r
        DTSTART:20260115T080000Z\r
        SUMMARY:Runder Tisch Energiearmut\r
        END:VEVENT\r
        BEGIN:VEVENT\r
        UID:bad@kreis.invalid\r
        DTSTAMP:20260101T000000Z\r
        DTSTART;TZID=Mars/Olympus:20260115T080000\r
        RRULE:FREQ=WEEKLY\r
        END:VEVENT\r
        BEGIN:VEVENT\r
        UID:bad2@kreis.invalid\r
        DTSTAMP:20260101T000000Z\r
        DTSTART;TZID=Europe/Berlin:20260115T080000\r
        RRULE:FREQ=WEEKLY;BYDAY=1MO\r
        END:VEVENT\r
        END:VCALENDAR\r

        """
}
