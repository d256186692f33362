/**
 * One row per rule family added for issue 14 (ending one's life, jumping or hanging, cutting or hurting oneself,
 * all the pills taken, someone being hit now, chest pain, not breathing, fainting and fits): a crisis a resident
 * might write and a figurative or ordinary line that shares its words and must stay quiet. Written for this test,
 * not taken from the eval sets, so that a rule written for one sentence fails here.
 */
import { expect } from 'chai';
import path from 'node:path';
import { loadKnowledge } from '../../src/knowledge';
import { buildLanguageCrisisModel, detectLanguageCrisis } from '../../src/matching/crisisLanguages';
import { identify } from '../../src/matching/language';
import { projectRoot } from '../../src/paths';

const knowledge = loadKnowledge(path.join(projectRoot(), 'knowledge'));
const model = buildLanguageCrisisModel(knowledge.languages ?? []);

/** [language, family, crisis, figurative or ordinary line]. */
const FAMILIES: ReadonlyArray<readonly [string, string, string, string]> = [
    ['pl', 'hanging, third person', 'tata mówi że się jutro powiesi', 'powiesiłam obraz w kuchni'],
    ['pl', 'cutting oneself', 'znowu chcę się pociąć', 'pocięłam warzywa na zupę'],
    ['pl', 'chest pain', 'mamę strasznie boli w klatce piersiowej', 'spotkamy się na klatce schodowej'],
    ['ro', 'jumping', 'prietena mea vrea să se arunce de pe pod', 'mă arunc în pat după muncă'],
    ['ro', 'hitting now', 'tata o bate pe mama chiar acum', 'inima îmi bate tare de emoție'],
    ['pt', 'jumping', 'o meu irmão disse que se vai atirar do prédio', 'vou atirar a bola ao cão'],
    ['pt', 'cutting oneself', 'ela está a cortar-se nos braços', 'vou cortar-me o cabelo amanhã'],
    ['es', 'cutting oneself', 'mi hijo se está cortando las muñecas', 'me estoy cortando el pelo en casa'],
    ['es', 'hanging', 'dice que se va a ahorcar esta noche', 'voy a colgar la ropa fuera'],
    ['it', 'jumping', 'mio padre dice che si butta dal ponte', 'mi butto sul divano stasera'],
    ['it', 'all the pills', 'ho preso tutte le pillole della scatola', 'ho preso il treno delle nove'],
    ['fr', 'hitting now', 'mon beau-père est en train de frapper ma mère', 'il me tape sur les nerfs'],
    ['fr', 'jumping', 'elle veut sauter du pont ce soir', 'on va sauter à la corde au parc'],
    ['lt', 'hurting oneself', 'noriu save sužaloti vėl', 'susižeidžiau koją futbole prieš metus'],
    ['lt', 'hanging', 'sesuo sako kad pasikars', 'pakabinau paveikslą ant sienos'],
    ['hu', 'jumping', 'a fiam le akar ugrani a hídról', 'leugrom a boltba kenyérért'],
    ['hu', 'hitting now', 'a férje most veri a szomszédasszonyt', 'a szívem hevesen ver'],
    ['tr', 'jumping', 'annem balkondan atlayacağını söylüyor', 'çocuklar havuza atlamayı sever'],
    ['tr', 'a boss will kill me', 'kocam şu an beni dövüyor', 'müdürüm beni öldürecek, rapor gecikti'],
    ['cy', 'ending my life', 'mae hi eisiau rhoi diwedd ar ei bywyd', 'mae diwedd y ffilm yn drist'],
    ['cy', 'chest pain', 'mae gen i boen mawr yn fy mrest', 'dw i eisiau cadw’n ffit'],
    ['ar', 'ending my life', 'صاحبي قال رح ينهي حياته', 'الحياة حلوة مع العيلة'],
    ['ar', 'Arabizi suicide', 'a5i 3am y2ol bado yenta7er', 'ana ta3ban ktir mn el sho8l'],
    ['ar', 'chest pain, Arabizi', 'bayye 3ando waja3 bi sadro', 'waja3 rass bas mesh ktir'],
    ['zh', 'someone hit now', '他爸爸现在在打他妈妈', '我们在打篮球'],
    ['zh', 'pinyin self-harm', 'ta yi zhi shang hai zi ji', 'wo xi huan da lan qiu'],
    ['bn', 'ending oneself, romanised', 'o bolche nijeke shesh kore dibe', 'kaj shesh kore bari jabo'],
    ['gu', 'giving one’s life', 'મારી બહેન કહે છે કે એ પોતાનો જીવ આપી દેશે', 'આ ગરમી મારો જીવ લઈ લેશે'],
    ['gu', 'jumping, romanised', 'maro bhai kahe che ke e bridge parthi kudi jase', 'baalko swimming pool ma kude che'],
    ['ta', 'hurting oneself, romanised', 'ava thannai kaayapaduthikkaraa, ennaye kaayapaduthikanum',
        'en boss ennai kolla poraaru deadline miss aana'],
    ['pa', 'giving one’s life, romanised', 'mera veer kehnda apni jaan de dauga', 'jaan pehchaan wale naal milna'],
    ['ur', 'pills, Roman Urdu with English', 'usne poori strip sleeping pills kha li', 'maine lunch kha liya'],
    ['ur', 'jumping', 'wo bridge se kood jayega', 'bachay pool mein kood rahe the khel mein'],
    ['bg', 'ending one’s life', 'мъжът ми иска да сложи край на живота си', 'филмът има щастлив край'],
    ['bg', 'hurting oneself', 'пак искам да се нараня', 'нараних си коляното на футбол миналата година'],
    ['ru', 'hurting oneself', 'опять хочу себе навредить', 'сладкое вредит зубам'],
    ['ru', 'jumping', 'подруга хочет спрыгнуть с моста', 'прыгаем с парашютом летом'],
    ['fa', 'ending one’s life', 'خواهرم میگه میخواد به زندگیش پایان بده', 'فیلم پایان خوبی داشت'],
    ['fa', 'someone hit now, Finglish', 'babash alan dare mamanesho kotak mizane', 'tup ro mizane be divar'],
    ['el', 'ending one’s life', 'ο αδερφός μου θέλει να βάλει τέλος στη ζωή του', 'το τέλος της ταινίας ήταν ωραίο'],
    ['el', 'jumping', 'η μάνα μου λέει θα πηδήξει από την ταράτσα', 'πηδάμε σχοινάκι στο πάρκο'],
    ['ku', 'all the pills', 'bavê min hemû hebên dermanan xwarin', 'me hemû xwarin bi hev re xwar'],
    ['ur', 'cannot go on living', 'ab main aur nahi jee sakti', 'tumhare bina main nahi jee sakta'],
    ['ur', 'chest pain, Roman Urdu', 'nani ke seene mein tez dard hai', 'seene mein jalan hai khane ke baad'],
    ['pa', 'cannot go on living', 'mainu hun jeena nahi', 'tere bina main nahi jee sakda'],
    ['gu', 'cannot go on living', 'mare have jivvu nathi', 'chaa vagar hu jivi na saku'],
    ['ru', 'cannot go on living', 'больше не могу жить так', 'не могу жить без музыки'],
    ['pl', 'cannot go on living', 'nie dam rady dalej żyć', 'nie mogę żyć bez muzyki'],
    ['fr', 'cannot go on living', 'je ne peux plus vivre comme ça', 'je ne peux pas vivre sans musique'],
    ['it', 'cannot go on living', 'non ce la faccio più a vivere così', 'non posso vivere senza musica'],
    ['lt', 'cannot go on living', 'nebegaliu taip gyventi', 'negaliu gyventi be muzikos'],
    ['es', 'my mum will kill me', 'mi ex dice que me va a matar esta noche', 'mi jefa me va a matar, llego tarde'],
    ['pt', 'my mum will kill me', 'o meu namorado está a bater-me agora', 'a minha mãe vai-me matar quando vir isto'],
    ['fr', 'my mum will kill me', 'mon mari me frappe en ce moment', 'ma mère va me tuer, j\'ai raté le bus'],
    ['ar', 'fell and not answering, Arabizi', 'jeddo we2e3 w ma 3am yrod', 'el telephone we2e3 bas mnee7'],
    ['ur', 'English verb in Roman Urdu', 'mera husband mujhe abhi beat kar raha hai',
        'main roz gym mein workout kar raha hoon'],
    ['pa', 'fits, Roman Panjabi', 'nanke nu fits aa rahe ne', 'eh kapde fit aa gaye'],
    ['ar', 'Arabizi, other spellings', 'khayye 3am y2ol bado yentei7er', 'el match kan 7elo ktir'],
    ['fa', 'too many pills, Finglish', 'khaharam ghors ziadi khorde', 'ghaza ziadi khordam emruz'],
    ['bn', 'suicide, romanised', 'ami atmohotta korbo', 'ami aaj office e kaj korbo'],
    ['ta', 'suicide, Tanglish spelling', 'avan thatkkolai panna poren nu solran', 'naan kolam podren'],
    ['hu', 'killing oneself', 'meg akarja ölni magát', 'meg akarom tanulni az angolt'],
    ['cy', 'all the tablets, taken', 'mae hi wedi llyncu ei holl dabledi', 'dw i’n cymryd fy holl dabledi bob bore'],
    ['ur', 'hitting someone, Roman Urdu', 'wo ammi ko abhi maar raha hai', 'bacha football ko zor se maar raha hai'],
    ['es', 'cutting oneself', 'mi novia se corta los brazos', 'me corté con un papel en la oficina'],
    ['pl', 'hitting now', 'ojciec bije teraz mamę', 'dzieci biją brawo po koncercie'],
    ['pt', 'all the pills', 'a minha avó tomou todos os comprimidos da caixa',
        'tomo todos os comprimidos que o médico receitou'],
    ['ro', 'my mum will kill me', 'soțul meu vrea să mă omoare acum', 'mama o să mă omoare dacă află'],
    ['fa', 'this heat is killing me, Finglish', 'shoharam mikhad mano bokoshe', 'in garma dare mano mikoshe'],
    // After the third held-out set (issue 14): the families its missed lines belonged to.
    ['ro', 'a farewell letter or note', 'fratele meu a lăsat un bilet de adio pe masă',
        'ne-am luat adio de la colegi la petrecere'],
    ['ro', 'everyone better off without me', 'mama spune că toată lumea ar trăi mai bine fără ea',
        'toți ar fi mai bine fără zahăr în ceai'],
    ['ro', 'better off without her, in her own words', 'sora mea spune că familia ar trăi mai bine fără ea',
        'toată lumea ar fi mai bine fără el în echipă'],
    ['pt', 'hitting someone, Brazilian "tá batendo na"', 'meu padrasto tá batendo na minha mãe agora',
        'a chuva tá batendo na janela'],
    ['ar', 'hurting oneself, Levantine Arabizi', 'binti bitjarre7 7alha', 'kalamo jara7 2albi'],
    ['ar', 'pills drunk, Arabizi', 'khalti sherbet 3elbe kamle dawa', 'shribt kel el 3aseer'],
    ['bn', 'chest pain, romanised spellings', 'ammur bukey onek betha hocche', 'bukey onek kosto, mon kharap'],
    ['gu', 'hitting someone now, romanised', 'mara pappa atyare mummy ne maare che',
        'e roj cricket ma ball ne jor thi maare che'],
    ['zh', 'ending it all', '她说今晚就要结束一切', '会议结束一切顺利'],
    ['zh', 'everyone better off without me', '没有我他们会过得更好', '没有我的帮助他们也做得很好'],
    ['zh', 'better off without me, after a comma', '没有我，家里人会更轻松', '没有我们想象的更好'],
    ['zh', 'a whole box of pills, pinyin', 'ta chi le yi zheng he zhi tong yao', 'wo chi le yi wan mian tiao'],
    ['fr', 'being hit now, any subject', 'mon copain est en train de me battre',
        'mon fils est en train de me battre aux échecs'],
    ['fr', '"tape" someone at home', 'mon voisin tape ses enfants', 'mon voisin tape sa lettre à la machine'],
    ['lt', 'everyone better off without me', 'visiems būtų geriau be manęs', 'be cukraus arbata būtų geriau'],
    ['ru', 'killing oneself, romanised with an apostrophe', 'on skazal chto ub\'yot sebya',
        'ya ub\'yu vremya na seriale'],
    ['ru', 'everyone better off without me', 'без меня семье будет легче', 'им лучше поехать без меня'],
    ['cy', 'English medical words in Welsh', 'mae Nain wedi cael stroke',
        'dw i\'n gwneud chest press yn y gampfa gyda Dad'],
    ['el', 'chest pain, Greeklish', 'i mitera mou exei ponous sto sthos', 'exw pono sto podi apo to gym'],
    ['fa', 'chest pain, Finglish with "dard-e"', 'madaram dard-e sine dare', 'dard-e sar daram az sobh'],
    ['ur', 'English suicide words in Roman Urdu', 'mera bhai keh raha hai he wants to kill himself',
        'mujhe apni life enjoy karni hai'],
    ['pa', 'suicide, Shahmukhi with a Panjabi verb', 'میری بھین آکھدی اے اوہ خودکشی کر لوے گی', 'اوہ کم کر لوے گا'],
];

/**
 * [language, a crisis written with English words mixed in, an English look-alike]: the line before the routes
 * needs the message identified in its own language, not as English for its English words.
 */
const MIXED: ReadonlyArray<readonly [string, string, string]> = [
    ['fa', 'madar bozorgam heart attack karde, lotfan komak', 'my grandma had a heart attack last year'],
    ['el', 'o pappous exei heart attack, voitheia', 'my dad has chest pain, please help'],
];


describe('crisis rule families in other languages', () => {
    for (const [code, family, crisis, figurative] of FAMILIES) {
        it(`${code}, ${family}: the crisis fires, the look-alike stays quiet`, () => {
            expect(detectLanguageCrisis(crisis, model).languages, crisis).to.include(code);
            expect(detectLanguageCrisis(figurative, model).kinds, figurative).to.deep.equal([]);
        });
    }
});

describe('the language of a crisis written with English words in it', () => {
    for (const [code, crisis, english] of MIXED) {
        it(`${code}: "${crisis}" is ${code}, the English look-alike stays English`, () => {
            expect(identify(crisis)).to.equal(code);
            expect(identify(english)).to.equal('en');
        });
    }
});
