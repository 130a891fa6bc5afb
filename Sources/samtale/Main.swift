import ArgumentParser
import SamtaleApp

@main
struct Main {
    static func main() async {
        await SamtaleCommand.main()
    }
}
