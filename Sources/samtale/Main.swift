import ArgumentParser
import SamtaleApp

@main
struct Main {
    static func main() async {
        ProcessMemory.oneArena()
        ProcessExecutor.useEventLoops()
        await SamtaleCommand.main()
    }
}
