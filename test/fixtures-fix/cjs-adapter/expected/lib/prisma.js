const { PrismaClient } = require("@prisma/client")
const { PrismaPg } = require("@prisma/adapter-pg")

const adapter = new PrismaPg({ connectionString: process.env.DATABASE_URL })

// One client, and one connection pool, per process. The cache on globalThis survives hot
// reloads in development, which would otherwise build a new client on every reload.
const globalForPrisma = globalThis

const prisma = globalForPrisma.prisma ?? new PrismaClient({ adapter })

if (process.env.NODE_ENV !== "production") globalForPrisma.prisma = prisma

// Disconnect once when the process is asked to stop. When nothing else listens for the
// signal, end the process the way the signal asked; otherwise the other listeners decide.
if (!globalForPrisma.prismaShutdownHooked) {
    globalForPrisma.prismaShutdownHooked = true
    let disconnecting
    for (const signal of ["SIGTERM", "SIGINT"]) {
        process.once(signal, () => {
            disconnecting ??= prisma.$disconnect()
            void disconnecting.finally(() => {
                if (process.listenerCount(signal) === 0) process.kill(process.pid, signal)
            })
        })
    }
}

module.exports = { prisma }
