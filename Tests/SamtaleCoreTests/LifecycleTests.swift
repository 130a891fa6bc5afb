import Foundation
import SamtaleTestSupport
import Testing

@testable import SamtaleCore

@Suite("A conference's lifecycle")
struct LifecycleTests {
    let bookings = day(count: 3, from: at(14, 0))

    @Test("check-in opens 20 minutes before the start; earlier presses are told when")
    func checkInWindow() {
        var e = engine(bookings, at: at(13, 0))
        let early = e.handle(.press(.button), at: at(13, 39))
        #expect(early == .notYet(nextStart: at(14, 0), opensAt: at(13, 40)))
        #expect(e.conference("B1")?.status == .scheduled)
        guard case .checkedIn(let r) = e.handle(.press(.button), at: at(13, 40)) else {
            Issue.record("a press at 13:40 checks in")
            return
        }
        #expect(r.id == "B1" && r.expectedStart == at(14, 0) && r.ahead == 0)
        #expect(e.conference("B1")?.status == .waiting)
        #expect(e.conference("B1")?.progress.checkedIn == at(13, 40))
        #expect(e.light(at: at(13, 41)) == .waiting)
    }

    @Test("a second press by the same family is acknowledged again, not counted twice")
    func repeatPress() {
        var e = engine(bookings, at: at(13, 0))
        e.handle(.press(.button), at: at(13, 50))
        let again = e.handle(.press(.button), at: at(13, 51))
        guard case .alreadyCheckedIn(let r) = again else {
            Issue.record("expected already-checked-in, got \(again)")
            return
        }
        #expect(r.id == "B1")
        #expect(e.conference("B2")?.status == .scheduled)
        #expect(e.waiting.count == 1)
    }

    @Test("the session starts by itself when the family waits, the room is free and the time comes")
    func autoStart() {
        var e = engine(bookings, at: at(13, 0))
        e.handle(.press(.button), at: at(13, 50))
        e.advance(to: at(13, 59))
        #expect(e.current == nil)
        e.advance(to: at(14, 0, day: 24))
        #expect(e.current?.id == "B1")
        #expect(e.current?.progress.started == at(14, 0))
        #expect(e.light(at: at(14, 0)) == .inSession)
    }

    @Test("a late family starts at once when the room is free")
    func lateArrivalStartsNow() {
        var e = engine(bookings, at: at(13, 0))
        e.handle(.press(.touch), at: at(14, 7))
        #expect(e.current?.id == "B1")
        #expect(e.current?.progress.started == at(14, 7))
    }

    @Test("with auto-start off, the teacher starts the session")
    func manualStart() {
        var rules = Rules()
        rules.autoStart = false
        var e = engine(bookings, at: at(13, 0), rules: rules)
        e.handle(.press(.button), at: at(13, 55))
        e.advance(to: at(14, 5))
        #expect(e.current == nil)
        #expect(e.handle(.start(id: nil), at: at(14, 5)) == .done)
        #expect(e.current?.id == "B1")
    }

    @Test("the light goes free → waiting → in session → ending soon → overrun, then assumed ended")
    func lightFollowsTheSession() {
        var e = engine([bookings[0]], at: at(13, 30))
        #expect(e.light(at: at(13, 30)) == .closed)
        #expect(e.light(at: at(13, 45)) == .free)
        e.handle(.press(.button), at: at(13, 50))
        #expect(e.light(at: at(13, 50)) == .waiting)
        e.advance(to: at(14, 10))
        #expect(e.light(at: at(14, 10)) == .inSession)
        e.advance(to: at(14, 16))
        #expect(e.light(at: at(14, 16)) == .endingSoon)
        e.advance(to: at(14, 21))
        #expect(e.light(at: at(14, 21)) == .overrun)
        #expect(e.doorView(at: at(14, 21)).overrunSeconds == 60)
        e.advance(to: at(14, 31))
        let c = e.conference("B1")!
        #expect(c.status == .done)
        #expect(c.progress.endAssumed)
        #expect(c.progress.ended == at(14, 30))
        #expect(e.light(at: at(14, 31)) == .closed)
        #expect(e.doorView(at: at(14, 31)).dayOver)
    }

    @Test("the teacher ends the session; the next waiting family starts at its time")
    func teacherEnds() {
        var e = engine(bookings, at: at(13, 0))
        e.handle(.press(.button), at: at(13, 55))
        e.handle(.press(.button), at: at(14, 10))
        #expect(e.handle(.end, at: at(14, 15)) == .done)
        #expect(e.conference("B1")?.progress.ended == at(14, 15))
        #expect(e.conference("B1")?.progress.endAssumed == false)
        #expect(e.current == nil)
        #expect(e.light(at: at(14, 16)) == .waiting)
        e.advance(to: at(14, 20))
        #expect(e.current?.id == "B2")
    }

    @Test("an early start is allowed when the room is free and the family is waiting, refused otherwise")
    func earlyStart() {
        var e = engine(bookings, at: at(13, 0))
        #expect(e.handle(.start(id: "B1"), at: at(13, 50)) == .refused(.tooEarly))
        e.handle(.press(.button), at: at(13, 50))
        #expect(e.handle(.start(id: "B1"), at: at(13, 52)) == .done)
        #expect(e.current?.progress.started == at(13, 52))
        var rules = Rules()
        rules.earlyStart = false
        var strict = engine(bookings, at: at(13, 0), rules: rules)
        strict.handle(.press(.button), at: at(13, 50))
        #expect(strict.handle(.start(id: "B1"), at: at(13, 52)) == .refused(.tooEarly))
    }

    @Test("starting the next conference ends the one in session")
    func startNextEndsCurrent() {
        var e = engine(bookings, at: at(13, 0))
        e.handle(.press(.button), at: at(13, 55))
        e.advance(to: at(14, 0))
        e.handle(.press(.button), at: at(14, 12))
        #expect(e.handle(.start(id: nil), at: at(14, 18)) == .done)
        #expect(e.conference("B1")?.status == .done)
        #expect(e.conference("B1")?.progress.ended == at(14, 18))
        #expect(e.current?.id == "B2")
        #expect(e.conferences.filter { $0.status == .inSession }.count == 1)
    }

    @Test("nobody checked in 10 minutes after the start: a no-show")
    func noShow() {
        var e = engine(bookings, at: at(13, 0))
        e.advance(to: at(14, 9))
        #expect(e.conference("B1")?.status == .scheduled)
        e.advance(to: at(14, 10))
        #expect(e.conference("B1")?.status == .noShow)
        #expect(e.timingRecords.first { $0.id == "B1" }?.status == .noShow)
    }

    @Test("the teacher can mark a no-show and check in a family late")
    func teacherNoShowAndLateCheckIn() {
        var e = engine(bookings, at: at(13, 0))
        #expect(e.handle(.markNoShow(id: nil), at: at(14, 3)) == .done)
        #expect(e.conference("B1")?.status == .noShow)
        #expect(e.handle(.checkIn(id: "B1"), at: at(14, 5)) == .done)
        #expect(e.current?.id == "B1")
    }

    @Test("extending moves the end, the ending-soon light and the next family's expected start")
    func extend() {
        var e = engine(bookings, at: at(13, 0))
        e.handle(.press(.button), at: at(13, 55))
        e.advance(to: at(14, 14))
        #expect(e.handle(.extend(minutes: 5), at: at(14, 14)) == .done)
        #expect(e.current?.plannedEnd == at(14, 25))
        #expect(e.light(at: at(14, 18)) == .inSession)
        #expect(e.doorView(at: at(14, 18)).next?.expectedStart == at(14, 25))
        #expect(e.handle(.extend(minutes: 0), at: at(14, 15)) == .refused(.invalidMinutes))
    }

    @Test("undo reverts the last action")
    func undo() {
        var e = engine(bookings, at: at(13, 0))
        e.handle(.press(.button), at: at(13, 55))
        e.advance(to: at(14, 0))
        e.handle(.end, at: at(14, 5))
        #expect(e.current == nil)
        #expect(e.handle(.undo, at: at(14, 6)) == .done)
        #expect(e.current?.id == "B1")
        #expect(e.conference("B1")?.progress.ended == nil)
        #expect(e.handle(.undo, at: at(14, 6)) == .done)  // the check-in
        #expect(e.conference("B1")?.status == .scheduled)
        #expect(e.handle(.undo, at: at(14, 6)) == .refused(.nothingToUndo))
    }

    @Test("undo respects a configured window")
    func undoWindow() {
        var rules = Rules()
        rules.undoWindow = 10
        var e = engine(bookings, at: at(13, 0), rules: rules)
        e.handle(.press(.button), at: at(13, 55))
        #expect(e.handle(.undo, at: at(13, 55).addingTimeInterval(11)) == .refused(.nothingToUndo))
    }

    @Test("a room running 12 minutes late says so, and expected starts never precede scheduled ones")
    func runningLate() {
        var rules = Rules()
        rules.assumedEndGrace = 30 * 60
        var e = engine(bookings, at: at(13, 0), rules: rules)
        e.handle(.press(.button), at: at(13, 55))
        e.advance(to: at(14, 0))
        e.handle(.press(.button), at: at(14, 15))
        e.advance(to: at(14, 32))
        let door = e.doorView(at: at(14, 32))
        #expect(door.light == .overrun)
        #expect(door.next?.id == "B2")
        #expect(door.next?.expectedStart == at(14, 32))
        #expect(door.runningLateMinutes == 12)
        #expect(door.next?.lateMinutes == 12)
        #expect(door.nextWaiting)
        #expect(door.upcoming.count == 2)
        #expect(door.upcoming[1].expectedStart == at(14, 52))
        for slot in door.upcoming { #expect(slot.expectedStart! >= slot.start) }
        let teacher = e.teacherView(at: at(14, 32))
        #expect(teacher.runningLateMinutes == 12)
        #expect(teacher.waiting.map(\.pupil) == ["Pupil Name2"])
        #expect(teacher.next?.interpreter == "arabisk")
    }

    @Test("a press when nothing is due answers with the next conference, never a name; none ahead: no more")
    func pressWhenNothingDue() {
        var e = engine([bookings[0]], at: at(9, 0))
        #expect(e.handle(.press(.button), at: at(9, 0)) == .notYet(nextStart: at(14, 0), opensAt: at(13, 40)))
        e.advance(to: at(15, 0))
        #expect(e.handle(.press(.button), at: at(15, 0)) == .noMoreConferences)
    }

    @Test("a clock that is not set closes check-in and shows a fault")
    func clockNotSet() {
        var e = engine(bookings, at: at(13, 0))
        e.handle(.clock(trusted: false), at: at(13, 50))
        #expect(e.handle(.press(.button), at: at(13, 50)) == .unavailable(.clock))
        #expect(e.light(at: at(13, 50)) == .fault)
        #expect(e.doorView(at: at(13, 50)).faults == ["clock"])
        #expect(!e.doorView(at: at(13, 50)).checkInOpen)
        e.handle(.clock(trusted: true), at: at(13, 51))
        guard case .checkedIn = e.handle(.press(.button), at: at(13, 52)) else {
            Issue.record("check-in opens once the clock is set")
            return
        }
    }

    @Test("a fault shows on the light until it clears; its message stays private")
    func faults() {
        var e = engine(bookings, at: at(13, 0))
        e.handle(.fault(.hardware, "line GPIO17 busy (held by Pupil Name1's script)"), at: at(13, 50))
        let door = e.doorView(at: at(13, 50))
        #expect(door.light == .fault)
        #expect(door.faults == ["hardware"])
        #expect(!"\(door)".contains("Name1"))
        e.handle(.fault(.hardware, nil), at: at(13, 51))
        #expect(e.light(at: at(13, 51)) == .free)
    }

    @Test("a schedule that cannot be read now: the room goes on with the last good one; never read: a fault")
    func scheduleFault() {
        var e = engine(bookings, at: at(13, 0))
        e.handle(.press(.button), at: at(13, 45))
        e.handle(.fault(.schedule, "line 4: Pupil Name1 …"), at: at(13, 50))
        let door = e.doorView(at: at(13, 50))
        #expect(door.light == .waiting, "the light still shows the family waiting")
        #expect(door.faults == ["schedule"])
        #expect(door.scheduleReadAt == at(13, 0))
        #expect(!"\(door)".contains("Name1"))
        var never = RoomEngine(room: "204", timeZone: oslo, at: at(13, 0))
        never.handle(.fault(.schedule, "the file is not there"), at: at(13, 1))
        #expect(never.light(at: at(13, 1)) == .fault, "nothing ever read: the room's state is unknown")
    }

    @Test("timing records: scheduled against actual, wait and overrun")
    func timing() {
        var e = engine(bookings, at: at(13, 0))
        e.handle(.press(.button), at: at(13, 52))
        e.advance(to: at(14, 0))
        e.handle(.end, at: at(14, 23))
        let r = e.timingRecords.first { $0.id == "B1" }!
        #expect(r.waitSeconds == 8 * 60)
        #expect(r.startDelaySeconds == 0)
        #expect(r.overrunSeconds == 3 * 60)
        #expect(r.actualSeconds == 23 * 60)
        #expect(!r.endAssumed)
    }
}
