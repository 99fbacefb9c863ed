const { PrismaClient } = require("@prisma/client")
const { PrismaPg } = require("@prisma/adapter-pg")

// Reports read from the replica on purpose.
const replica = new PrismaClient({
    adapter: new PrismaPg({ connectionString: process.env.REPLICA_URL }),
})

module.exports = { replica }
