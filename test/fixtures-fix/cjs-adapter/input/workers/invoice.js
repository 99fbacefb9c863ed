const { PrismaClient } = require("@prisma/client")
const { PrismaPg } = require("@prisma/adapter-pg")

const adapter = new PrismaPg({ connectionString: process.env.DATABASE_URL })
const db = new PrismaClient({ adapter })

async function processInvoice(job) {
    return db.invoice.update({ where: { id: job.data.id }, data: { sent: true } })
}

module.exports = { processInvoice }
